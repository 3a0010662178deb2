'use client';
/**
 * Wall-screen mode: full screen, large type, nothing to click. Entered with `?wall=1` or the
 * button (which also asks the browser for full screen); Esc, or leaving full screen, ends it.
 */
import { useCallback, useEffect, useState } from 'react';

export function useWallMode(initial: boolean): [boolean, () => void] {
  const [wall, setWall] = useState(initial);
  useEffect(() => {
    const url = new URL(window.location.href);
    if (wall) url.searchParams.set('wall', '1');
    else url.searchParams.delete('wall');
    window.history.replaceState(window.history.state, '', url);
    if (!wall) return;
    const leave = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setWall(false);
    };
    const fullscreenEnded = () => {
      if (!document.fullscreenElement) setWall(false);
    };
    document.addEventListener('keydown', leave);
    document.addEventListener('fullscreenchange', fullscreenEnded);
    return () => {
      document.removeEventListener('keydown', leave);
      document.removeEventListener('fullscreenchange', fullscreenEnded);
    };
  }, [wall]);
  const enter = useCallback(() => {
    setWall(true);
    // Refused without a user gesture or in a frame; the mode works without it.
    document.documentElement.requestFullscreen?.().catch(() => {});
  }, []);
  return [wall, enter];
}
