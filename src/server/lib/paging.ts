import { z } from "zod";

/** Page-number pagination for admin tables: small, bounded pages; `total` drives the pager. */
export interface PageInput {
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const MAX_PAGE_SIZE = 100;

/** The page fields of an admin list's zod input, spread into its object. */
export const pageInputFields = {
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
};

export function pageOf(input: PageInput): { limit: number; offset: number } {
  const limit = Math.min(Math.max(input.pageSize ?? 25, 1), MAX_PAGE_SIZE);
  const page = Math.max(input.page ?? 1, 1);
  return { limit, offset: (page - 1) * limit };
}

/** Escapes LIKE wildcards so a search for `50%` or `a_b` matches those characters literally. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
