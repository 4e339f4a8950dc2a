"""Build and rendering: the run matrix, executing notebooks, staging and rendering the site,
exporting tables. The top layer below the command line."""
