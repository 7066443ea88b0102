import type { Component } from 'svelte';

type Page = Component<{ params: Record<string, string> }>;

/** Every page, loaded on demand so a group's phone downloads only what the group pages need. */
export const routes: { pattern: string; load: () => Promise<{ default: Page }> }[] = [
  { pattern: '/', load: () => import('./Home.svelte') },
  { pattern: '/i/:token', load: () => import('./Invite.svelte') },
  { pattern: '/setup', load: () => import('./Setup.svelte') },
  { pattern: '/login', load: () => import('./Login.svelte') },
  { pattern: '/c/:slug/results', load: () => import('./public/Results.svelte') },
  { pattern: '/jury/:id', load: () => import('./jury/Entries.svelte') },
  { pattern: '/jury/:id/entries/:entry', load: () => import('./jury/Entry.svelte') },
  { pattern: '/admin', load: () => import('./admin/Contests.svelte') },
  { pattern: '/admin/contests/:id', load: () => import('./admin/Contest.svelte') },
  { pattern: '/admin/contests/:id/qr-sheet', load: () => import('./admin/QrSheet.svelte') },
  { pattern: '/admin/contests/:id/screening', load: () => import('./admin/Screening.svelte') },
  { pattern: '/admin/contests/:id/live', load: () => import('./admin/Live.svelte') },
  { pattern: '/admin/contests/:id/results', load: () => import('./admin/Results.svelte') },
  { pattern: '/admin/contests/:id/audit', load: () => import('./admin/Audit.svelte') },
];

export const notFound = { load: () => import('./NotFound.svelte') as Promise<{ default: Page }> };
