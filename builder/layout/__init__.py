"""Model -> plain geometry (display lists in millimetres); never paints."""
