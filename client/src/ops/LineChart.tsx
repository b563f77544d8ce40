/** One line of a chart. */
export interface ChartSeries {
  name: string;
  /** A CSS colour. */
  color: string;
  /** Oldest first. */
  points: readonly number[];
}

interface LineChartProps {
  title: string;
  series: readonly ChartSeries[];
  /** How many points the x axis holds (the newest at the right). */
  capacity: number;
  /** Formats the latest values and the top of the scale. */
  format?: (value: number) => string;
}

const WIDTH = 320;
const HEIGHT = 110;
const PAD = { top: 8, right: 8, bottom: 6, left: 8 };
/** The narrowest x axis, in samples. */
const MIN_SPAN = 12;

const defaultFormat = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** A small hand-written SVG line chart: no chart library. The scale starts at 0 and fits the largest value. */
export function LineChart({ title, series, capacity, format = defaultFormat }: LineChartProps) {
  const max = Math.max(1, ...series.flatMap((line) => line.points));
  const points = series[0]?.points.length ?? 0;
  // A short history spreads over a narrower axis, which widens to `capacity` as samples come.
  const span = Math.min(capacity, Math.max(MIN_SPAN, points));
  const x = (index: number, length: number) => PAD.left + ((WIDTH - PAD.left - PAD.right) * (span - length + index)) / Math.max(1, span - 1);
  const y = (value: number) => HEIGHT - PAD.bottom - ((HEIGHT - PAD.top - PAD.bottom) * value) / max;
  return (
    <figure className="chart" data-chart={title} data-points={points}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-legend">
          {series.map((line) => (
            <span key={line.name} className="legend-item" data-series={line.name}>
              <span className="swatch" style={{ background: line.color }} aria-hidden="true" />
              {line.name} <strong data-latest>{format(line.points.at(-1) ?? 0)}</strong>
            </span>
          ))}
        </span>
      </figcaption>
      <span className="chart-scale" aria-hidden="true">
        {format(max)}
      </span>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`${title}, last ${points} samples, scale up to ${format(max)}`}>
        {[0.25, 0.5, 0.75].map((fraction) => (
          <line key={fraction} className="grid" vectorEffect="non-scaling-stroke" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * fraction)} y2={y(max * fraction)} />
        ))}
        {series.map((line) =>
          line.points.length === 0 ? null : (
            <polyline
              key={line.name}
              fill="none"
              stroke={line.color}
              strokeWidth={2}
              strokeLinejoin="round"
              vectorEffect="non-scaling-stroke"
              points={line.points.map((value, index) => `${x(index, line.points.length).toFixed(1)},${y(value).toFixed(1)}`).join(' ')}
            />
          ),
        )}
      </svg>
    </figure>
  );
}

/** Appends a value to a bounded history (oldest dropped). */
export function pushBounded(history: readonly number[], value: number, capacity: number): number[] {
  const next = [...history, value];
  return next.length > capacity ? next.slice(next.length - capacity) : next;
}
