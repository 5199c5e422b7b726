"""The Django project of an Interlink node (named so as not to shadow the stdlib ``site``)."""
