"""Functions that return components. Component ids are all in :mod:`layouts.ids`."""
