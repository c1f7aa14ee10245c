class Queue {
  push(item