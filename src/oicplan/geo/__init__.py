"""Transport: how Zhejiang's hubs reach each candidate site by rail, sea and air."""
