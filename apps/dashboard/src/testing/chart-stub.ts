import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ChartConfiguration } from 'chart.js';

/**
 * Stands in for `<dh-chart>` (Chart.js needs a canvas jsdom does not have): it
 * shows the chart's label and how many bars each series has. Test code only.
 */
@Component({
  selector: 'dh-chart',
  template: `<div data-testid="chart-stub" [attr.aria-label]="label()">
    {{ config().data.datasets.length }} series, {{ config().data.labels?.length }} bars
  </div>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChartStubComponent {
  readonly config = input.required<ChartConfiguration>();
  readonly label = input.required<string>();
  readonly height = input(220);
}
