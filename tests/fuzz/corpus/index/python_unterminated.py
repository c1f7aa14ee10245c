class A:
    """Doc string
    never closed
    def f(self): pass
