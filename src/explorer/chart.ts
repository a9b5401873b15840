// A live line chart on a <canvas>: one or more series on one y scale (0 to the largest value), the
// newest value on the right. Redrawn whole on each update: a few hundred points at most.

export interface SeriesStyle {
  label: string;
  color: string;
}

export class LineChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly legend: HTMLElement;

  constructor(
    title: string,
    private readonly styles: readonly SeriesStyle[],
    /** How a value is written on the axis and in the legend. */
    private readonly formatValue: (value: number) => string = (v) => v.toFixed(1),
  ) {
    this.element = document.createElement("figure");
    this.element.className = "chart";
    const caption = document.createElement("figcaption");
    caption.textContent = title;
    this.legend = document.createElement("div");
    this.legend.className = "legend";
    this.canvas = document.createElement("canvas");
    this.canvas.width = 480;
    this.canvas.height = 140;
    this.element.append(caption, this.canvas, this.legend);
  }

  /** Draws `series[i]` in `styles[i]`'s colour; all series have the same length. */
  draw(series: readonly (readonly number[])[]): void {
    const ctx = this.canvas.getContext("2d");
    if (ctx === null) return;
    const { width, height } = this.canvas;
    const pad = { left: 48, right: 8, top: 8, bottom: 16 };
    const max = Math.max(1, ...series.flat());
    ctx.clearRect(0, 0, width, height);
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = "#888";
    ctx.strokeStyle = "#ddd";
    ctx.beginPath();
    ctx.moveTo(pad.left, pad.top);
    ctx.lineTo(pad.left, height - pad.bottom);
    ctx.lineTo(width - pad.right, height - pad.bottom);
    ctx.stroke();
    ctx.fillText(this.formatValue(max), 2, pad.top + 8);
    ctx.fillText("0", 2, height - pad.bottom);
    series.forEach((values, i) => {
      if (values.length < 2) return;
      const step = (width - pad.left - pad.right) / (values.length - 1);
      ctx.strokeStyle = this.styles[i]?.color ?? "#000";
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      values.forEach((value, x) => {
        const px = pad.left + x * step;
        const py = height - pad.bottom - (value / max) * (height - pad.top - pad.bottom);
        if (x === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      });
      ctx.stroke();
    });
    this.legend.replaceChildren(
      ...this.styles.map((style, i) => {
        const item = document.createElement("span");
        item.style.color = style.color;
        const latest = series[i]?.at(-1) ?? 0;
        item.textContent = `${style.label}: ${this.formatValue(latest)}`;
        return item;
      }),
    );
  }
}
