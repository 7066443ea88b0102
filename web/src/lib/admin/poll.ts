/**
 * Calls `tick` now and then every `ms` milliseconds while the page is visible; a hidden tab stops polling (phones on
 * mobile data, laptops left open in a back tab) and a tab coming back refreshes at once. Returns the stop function,
 * for a Svelte `$effect` to return. A tick never overlaps the previous one.
 */
export function pollWhileVisible(tick: () => Promise<void>, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running = false;
  const hidden = (): boolean => document.visibilityState === 'hidden';

  async function run(): Promise<void> {
    clearTimeout(timer);
    if (stopped || running || hidden()) return;
    running = true;
    try {
      await tick();
    } finally {
      running = false;
      if (!stopped && !hidden()) timer = setTimeout(run, ms);
    }
  }

  function onVisibility(): void {
    if (hidden()) clearTimeout(timer);
    else run();
  }

  document.addEventListener('visibilitychange', onVisibility);
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
