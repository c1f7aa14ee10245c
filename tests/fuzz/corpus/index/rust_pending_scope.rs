impl<T> X<T>
where T: Copy
