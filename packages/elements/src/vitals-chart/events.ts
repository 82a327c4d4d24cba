/** The time ranges of `<ehr-vitals-chart>`: the last year or five years of readings, or all of them. */
export type VitalsRange = '1y' | '5y' | 'all';

/** How `<ehr-vitals-chart>` shows the readings. */
export type VitalsChartView = 'chart' | 'table';

/** The user chose another time range (a host page may remember it). Bubbles, composed. */
export class VitalsChartRangeChangeEvent extends Event {
  static readonly eventName = 'ehr-vitals-chart-range-change';
  readonly range: VitalsRange;

  constructor(range: VitalsRange) {
    super(VitalsChartRangeChangeEvent.eventName, { bubbles: true, composed: true });
    this.range = range;
  }
}

/** The user switched between the chart and the table. Bubbles, composed. */
export class VitalsChartViewChangeEvent extends Event {
  static readonly eventName = 'ehr-vitals-chart-view-change';
  readonly view: VitalsChartView;

  constructor(view: VitalsChartView) {
    super(VitalsChartViewChangeEvent.eventName, { bubbles: true, composed: true });
    this.view = view;
  }
}
