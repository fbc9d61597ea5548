import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  input,
  OnDestroy,
  viewChild,
} from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartConfiguration,
  Legend,
  LinearScale,
  ScatterController,
  PointElement,
  LineElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
  ScatterController,
  PointElement,
  LineElement,
);

/**
 * A Chart.js chart. The canvas is a picture for sighted users; `label` names it
 * for screen readers, and pages put the same figures in text or a table beside it.
 */
@Component({
  selector: 'dh-chart',
  template: `<div class="chart-box" [style.height.px]="height()">
    <canvas #canvas role="img" [attr.aria-label]="label()"></canvas>
  </div>`,
  styles: `
    .chart-box {
      position: relative;
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChartComponent implements OnDestroy {
  readonly config = input.required<ChartConfiguration>();
  readonly label = input.required<string>();
  readonly height = input(220);

  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;
  private chartType: string | null = null;

  constructor() {
    afterRenderEffect(() => {
      const config = this.config();
      if (this.chart && this.chartType === config.type) {
        // Same kind of chart: update in place, without replaying the entry animation.
        this.chart.data = config.data;
        if (config.options) {
          this.chart.options = config.options;
        }
        this.chart.update('none');
        return;
      }
      this.chart?.destroy();
      this.chart = new Chart(this.canvas().nativeElement, config);
      this.chartType = config.type;
    });
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
  }
}
