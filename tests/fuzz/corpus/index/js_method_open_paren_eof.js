class A {
  b(