import type { Issue } from '../api';
export interface Bridge<T> {
  summary: string;
  files: T[];
}
export type Level = 'beginner' | 'advanced';
export enum Kind { A, B }
export abstract class Repo<T extends object> {
  protected abstract fetch<K>(key: K): Promise<T>;
  public list(): T[] {
    return [];
  }
}
