"""Discovery: search backends (Elasticsearch and database), indexing tasks, discovery views."""
