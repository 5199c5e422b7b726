"""placeholder"""
def register_admin() -> None:
    return None
