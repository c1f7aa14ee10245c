//! A tiny series library.
use std::collections::HashMap;
mod io;

pub struct Series<T> {
    values: Vec<T>,
}

impl<T> Drop for Series<T>
where
    T: Clone,
{
    fn drop(&mut self) {}
}

pub trait Resample {
    fn resample(&self, rule: &str) -> Self;
}

pub(crate) fn parse(s: &str) -> Result<u32, String> {
    s.parse().map_err(|e| format!("{e}"))
}
