/**
 * The script that runs in the page: it reads the inlined JSON and draws every panel with uPlot.
 * Kept as plain browser JavaScript in a string (no bundler): the page must run offline as written.
 *
 * Log-scale panels carry log10 values (a multiplicative parameter can fall far outside the double range),
 * so their axes are linear in log10 and labelled as powers of ten. Phases are shaded in uPlot's
 * drawClear hook, i.e. behind grid and series. When every plot is drawn, body[data-plots] is set
 * to "ready" (or "error: ..."), which the tests and the gallery wait for.
 */
export const PLOT_SCRIPT = String.raw`
(function () {
  'use strict';
  var PHASE_FILL = { PS: 'rgba(66,133,244,0.13)', EoS: 'rgba(230,81,0,0.15)', convergence: 'rgba(46,160,67,0.13)' };
  var PHASE_TEXT = { PS: 'rgba(30,80,170,0.9)', EoS: 'rgba(170,60,0,0.9)', convergence: 'rgba(20,110,40,0.9)' };
  var COLORS = ['#1f4e9c', '#d1495b', '#2a9d8f', '#7b2cbf', '#e09f3e'];
  var SERIES_COLOR = { log10L: '#111827', etaS: '#111827' };

  function pow10(v) {
    if (v == null || !isFinite(v)) return '-';
    var e = Math.floor(v), m = Math.pow(10, v - e);
    if (m >= 9.9995) { m = 1; e += 1; }
    return m.toFixed(3) + 'e' + e;
  }
  function plain(v) {
    if (v == null || !isFinite(v)) return '-';
    var a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
  }
  function logTicks(u, splits) {
    return splits.map(function (v) { return v === Math.round(v) ? '1e' + v : ''; });
  }

  function shade(phases) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox;
      ctx.save();
      ctx.beginPath();
      ctx.rect(b.left, b.top, b.width, b.height);
      ctx.clip();
      ctx.font = Math.round(11 * devicePixelRatio) + 'px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      phases.forEach(function (p) {
        var x0 = u.valToPos(p.from, 'x', true), x1 = u.valToPos(p.to, 'x', true);
        if (!(x1 > x0)) return;
        ctx.fillStyle = PHASE_FILL[p.name];
        ctx.fillRect(x0, b.top, x1 - x0, b.height);
        var w = ctx.measureText(p.name).width;
        if (x1 - x0 > w + 8) {
          ctx.fillStyle = PHASE_TEXT[p.name];
          ctx.fillText(p.name, x0 + 4 * devicePixelRatio, b.top + 3 * devicePixelRatio);
        }
      });
      ctx.restore();
    };
  }

  function span(values) {
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v == null) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi >= lo ? hi - lo : 0;
  }

  // A panel may name a series for a right axis (panel.rightAxis): one that falls through thousands of
  // decades while the others stay within a few dozen would flatten them on a shared axis. It gets its
  // own axis when sharing would squeeze the first series into less than a fifth of the panel height.
  function ownAxis(run, panel) {
    var k = panel.rightAxis, first = run.series[panel.keys[0]], other = k && run.series[k];
    if (!first || !other || k === panel.keys[0]) return false;
    var all = [];
    panel.keys.forEach(function (key) { if (run.series[key]) all = all.concat(run.series[key].values); });
    return span(all) > 5 * Math.max(span(first.values), 1);
  }
  function colorOf(panel, k, i) {
    return (panel.colors && panel.colors[k]) || SERIES_COLOR[k] || COLORS[i % COLORS.length];
  }

  function yAxis(panel, label, scale, side, stroke) {
    var a = { scale: scale, side: side, label: label, labelSize: 18, size: 74, stroke: stroke || '#333', grid: { show: side === 3, stroke: 'rgba(0,0,0,0.08)' } };
    if (panel.log10) {
      a.values = logTicks;
      a.incrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
    } else {
      a.values = function (u, splits) { return splits.map(plain); };
    }
    return a;
  }

  function panelPlot(run, panel, el, width) {
    var xs = run.t;
    var data = [xs];
    var series = [{ label: 'step', value: function (u, v) { return v == null ? '-' : String(v); } }];
    var dual = ownAxis(run, panel);
    panel.keys.forEach(function (k, i) {
      var s = run.series[k];
      if (!s) return;
      data.push(s.values);
      var right = dual && k === panel.rightAxis;
      // The loss, drawn as a wide translucent band, so the parts a pack plots with it stay visible on top of it.
      var total = k === 'log10L' && panel.keys.length > 1;
      series.push({
        label: s.label + (right ? ' (right axis)' : ''),
        scale: right ? 'right' : 'y',
        stroke: total ? 'rgba(17,24,39,0.35)' : colorOf(panel, k, i),
        width: total ? 4 : 1.25,
        points: { show: false },
        value: function (u, v) { return s.log10 ? pow10(v) : plain(v); },
      });
    });
    if (panel.threshold != null) {
      data.push(xs.map(function () { return panel.threshold; }));
      series.push({ label: 'threshold ' + panel.threshold, stroke: '#555', width: 1, dash: [6, 4], points: { show: false } });
    }
    var axes = [{ label: 'step', labelSize: 16, stroke: '#333', grid: { stroke: 'rgba(0,0,0,0.08)' } }, yAxis(panel, panel.y + (panel.log10 ? ' (log10 scale)' : ''), 'y', 3)];
    var scales = { x: { time: false } };
    if (dual) {
      var rl = run.series[panel.rightAxis].label;
      axes.push(yAxis(panel, rl + (panel.log10 ? ' (log10 scale)' : ''), 'right', 1, colorOf(panel, panel.rightAxis, panel.keys.indexOf(panel.rightAxis))));
      scales.right = {};
      el.querySelector('h3').textContent = panel.title + '; ' + rl + ' on the right axis';
    }
    var opts = {
      width: width,
      height: 230,
      scales: scales,
      series: series,
      axes: axes,
      cursor: { sync: { key: 'run-' + run.name }, points: { show: false } },
      legend: { live: true },
      hooks: { drawClear: [shade(run.phases)] },
    };
    return new uPlot(opts, data, el);
  }

  function main() {
    var runs = JSON.parse(document.getElementById('eos-data').textContent);
    // Kept on window for the browser console and the page tests (pixel positions of steps).
    var plots = (window.eosPlots = []);
    runs.forEach(function (run) {
      var section = document.querySelector('section.run[data-run="' + CSS.escape(run.name) + '"]');
      var box = section.querySelector('.plots');
      var cols = box.clientWidth >= 1140 ? 2 : 1;
      var width = Math.floor((box.clientWidth - (cols - 1) * 14) / cols);
      run.panels.forEach(function (panel) {
        var div = document.createElement('div');
        div.className = 'panel';
        div.dataset.panel = panel.id;
        var h = document.createElement('h3');
        h.textContent = panel.title;
        div.appendChild(h);
        box.appendChild(div);
        plots.push({ run: run.name, panel: panel.id, plot: panelPlot(run, panel, div, width) });
      });
    });
    document.body.dataset.plotCount = String(plots.length);
    document.body.dataset.plots = 'ready';
  }

  try { main(); } catch (e) { document.body.dataset.plots = 'error: ' + e.message; throw e; }
})();
`;
