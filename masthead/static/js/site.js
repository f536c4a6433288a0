// Site-wide progressive enhancements. Pages work without this file.
