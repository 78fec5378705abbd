// Gives a chart the pixel width of its container, so SVG text keeps its size
// from a 375px phone to a wide screen. The charts stay pure (width is a prop);
// only this wrapper measures. Before measuring (and on the server) it uses 640.
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export function Measured({
  children,
  min = 300,
  max = 1100,
}: {
  children: (width: number) => ReactNode;
  min?: number;
  max?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      // the figure's padding and border take ~28px of the container
      const w = Math.round(el.clientWidth - 28);
      if (w > 0) setWidth(Math.max(min, Math.min(max, w)));
    };
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, [min, max]);
  return (
    <div ref={ref} className="measured">
      {children(width)}
    </div>
  );
}
