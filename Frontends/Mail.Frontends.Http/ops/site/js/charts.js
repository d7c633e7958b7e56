// The IP's two charts (Chart.js, loaded as vendor/chart.umd.js before the modules): today's use and caps per provider,
// and the hourly rates. Charts are made once and updated in place on every poll, without animation.

const colors = {
  sentToday: '#2f6db5',
  dailyCap: '#9dbfe6',
  sentHour: '#d9822b',
  hourlyCap: '#f2c48d',
  delivery: '#2e8b57',
  deferral: '#d9822b',
  bounce: '#c0392b',
  complaint: '#8e44ad',
};

/** Labels and datasets of the provider chart from an IP's status (GET /v1/admin/ips/{ip} → status). */
export function providerChartData(status) {
  const providers = status.providers;
  const series = (label, color, pick) => ({ label, backgroundColor: color, data: providers.map(pick) });
  return {
    labels: providers.map((p) => p.provider),
    datasets: [
      series('sent today', colors.sentToday, (p) => p.sent_today),
      series('daily cap', colors.dailyCap, (p) => p.daily_cap),
      series('sent this hour', colors.sentHour, (p) => p.sent_this_hour),
      series('hourly cap', colors.hourlyCap, (p) => p.hourly_cap),
    ],
  };
}

/**
 * Labels and datasets of the rate chart from an IP's hourly counters, rates in percent. An hour without the rate's
 * divisor (nothing sent, nothing delivered) has no rate: it is a gap, not a 0% that would read as "all failed".
 */
export function rateChartData(hourly) {
  const series = (label, color, rate, divisor) => ({
    label,
    borderColor: color,
    backgroundColor: color,
    pointRadius: 2,
    data: hourly.map(({ counts }) => (divisor(counts) === 0 ? null : counts[rate] * 100)),
  });
  return {
    labels: hourly.map((bucket) => new Date(bucket.hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
    datasets: [
      series('delivery', colors.delivery, 'delivery_rate', (c) => c.sent),
      series('deferral', colors.deferral, 'deferral_rate', (c) => c.sent),
      series('bounce', colors.bounce, 'bounce_rate', (c) => c.delivered + c.bounces),
      series('complaint', colors.complaint, 'complaint_rate', (c) => c.delivered),
    ],
  };
}

/** One chart on a canvas, made on first use. */
export class LiveChart {
  #canvas;
  #type;
  #options;
  #chart = null;

  constructor(canvas, type, options) {
    this.#canvas = canvas;
    this.#type = type;
    this.#options = options;
  }

  show(data) {
    const Chart = globalThis.Chart;
    if (!Chart) throw new Error('Chart.js did not load (vendor/chart.umd.js).');
    if (!this.#chart) {
      this.#chart = new Chart(this.#canvas, { type: this.#type, data, options: this.#options });
      return;
    }
    this.#chart.data.labels = data.labels;
    // Datasets are replaced by position so Chart.js keeps their hidden state (a legend click) across polls.
    data.datasets.forEach((dataset, i) => {
      const current = this.#chart.data.datasets[i];
      if (current) current.data = dataset.data;
      else this.#chart.data.datasets.push(dataset);
    });
    this.#chart.update('none');
  }
}

const common = { animation: false, responsive: true, maintainAspectRatio: false };

export function providerChart(canvas) {
  return new LiveChart(canvas, 'bar', {
    ...common,
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
  });
}

export function rateChart(canvas) {
  return new LiveChart(canvas, 'line', {
    ...common,
    scales: { y: { beginAtZero: true, suggestedMax: 100, ticks: { callback: (v) => `${v}%` } } },
    plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.parsed.y.toFixed(2)}%` } } },
  });
}
