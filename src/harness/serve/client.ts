/**
 * The script and style of the served pages and the HTML report, as text (no build step). The
 * script reads the page's boot data (`#rl2lab-boot`: which page, its data URL or its inlined
 * data), draws it with vega-embed, and, when served, polls the data URL every
 * {@link POLL_MS} ms (with its ETag, so an unchanged page costs a 304) and updates tables and
 * charts in place: a chart keeps its legend selection while its data grow.
 *
 * @module
 */

/** How often a served page asks for new data. */
export const POLL_MS = 2000;

/** The pages' style sheet. */
export const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 2rem 3rem; color: #222; }
header { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.3rem; margin: .8rem 0; } header a { color: #555; }
#live { margin-left: auto; color: #777; font-size: 12px; }
table { border-collapse: collapse; margin: .5rem 0 1.2rem; font-size: 13px; }
th, td { border-bottom: 1px solid #eee; padding: 3px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { font-weight: 600; } .done { color: #2a7; } .running { color: #27c; }
.failed, .unknown { color: #c33; } .interrupted { color: #b80; } .warn { color: #b80; }
.problem { background: #fee; border-left: 4px solid #c33; padding: 4px 8px; margin: 4px 0; }
.note { color: #666; font-size: 12px; } #table .scroll { overflow-x: auto; }
#table:not(.all-columns) .extra, #table:not(.all-columns) .fewer, #table.all-columns .more { display: none; }
#comparison-table th { vertical-align: bottom; } #comparison-table .agent { position: sticky; left: 0;
background: #fff; white-space: nowrap; } tr.paper-row td { color: #555; font-style: italic; }
#more-columns { font-size: 12px; margin: 2px 0; cursor: pointer; }
tr.experiment > td { border-bottom: 1px solid #ddd; } pre { background: #f6f6f6; padding: 8px; overflow: auto;
max-height: 28rem; font-size: 12px; } .chart { margin: 1rem 0; overflow-x: auto; } h2 { font-size: 1.1rem; }
`;

/** The pages' script. */
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var boot = JSON.parse(document.getElementById('rl2lab-boot').textContent);
  var main = document.getElementById('main');
  var charts = {};
  window.rl2labCharts = charts;
  var etag = null;
  var base = boot.base || '';

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function link(kind, path, text) {
    if (!boot.api) return esc(text);
    return '<a href="' + base + '/' + kind + '/' + path.split('/').map(encodeURIComponent).join('/') + '">' + esc(text) + '</a>';
  }
  function num(text) {
    if (text === '' || text === undefined || text === null) return '';
    var x = Number(text);
    if (!isFinite(x)) return esc(text);
    if (Number.isInteger(x)) return String(x);
    return Math.abs(x) >= 1000 ? x.toFixed(1) : x.toFixed(3);
  }
  function section(id) {
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement('div');
      el.id = id;
      main.appendChild(el);
    }
    return el;
  }
  function setHtml(id, html) {
    var el = section(id);
    if (el.getAttribute('data-html') !== html) {
      el.innerHTML = html;
      el.setAttribute('data-html', html);
    }
  }
  function problems(list) {
    return (list || []).map(function (p) {
      return '<div class="problem"><b>' + esc(p.file) + '</b>: ' + esc(p.error) + '</div>';
    }).join('');
  }
  function statusCell(r) {
    var text = '<span class="status ' + esc(r.status) + '">' + esc(r.status) + '</span>';
    if (r.error) text += '<div class="failed">' + esc(r.error) + '</div>';
    if (r.warnings && r.warnings.length) {
      text += '<div class="warn">' + r.warnings.length + ' warning(s): ' +
        esc(r.warnings.map(function (w) { return 'iteration ' + w.iteration + ': ' + w.message; }).join('; ')) + '</div>';
    }
    return text;
  }
  function runRows(runs) {
    var rows = runs.map(function (r) {
      var it = r.iteration === null ? '–' : r.iteration + (r.iterations === null ? '' : ' / ' + r.iterations);
      var spi = r.secondsPerIteration === null ? '–' : r.secondsPerIteration.toFixed(2) + ' s';
      return '<tr data-run="' + esc(r.id) + '" data-status="' + esc(r.status) + '"><td>' + link('run', r.path, r.id) +
        '</td><td>' + esc(r.agent) + '</td><td class="num">' + (r.seed === null ? '–' : r.seed) +
        '</td><td>' + statusCell(r) + '</td><td class="num run-iteration">' + it + '</td><td class="num">' + spi +
        '</td><td>' + esc(r.started || '') + '</td><td>' + esc(r.ended || '') + '</td></tr>';
    });
    return '<table class="runs"><thead><tr><th>run</th><th>agent</th><th>seed</th><th>status</th>' +
      '<th>iteration</th><th>time / iteration</th><th>started</th><th>ended</th></tr></thead><tbody>' +
      rows.join('') + '</tbody></table>';
  }
  function counts(runs) {
    var by = {};
    runs.forEach(function (r) { by[r.status] = (by[r.status] || 0) + 1; });
    return Object.keys(by).sort().map(function (s) {
      return '<span class="status ' + esc(s) + '">' + by[s] + ' ' + esc(s) + '</span>';
    }).join(', ');
  }

  function chart(id, spec, given) { // given: data by name; the spec's datasets name those it draws
    var datasets = {};
    Object.keys(spec.datasets).forEach(function (name) { datasets[name] = given[name] || []; });
    var el = section(id);
    el.className = 'chart';
    var key = JSON.stringify(spec);
    var have = charts[id];
    if (have && have.key === key) {
      if (!have.view) { have.pending = datasets; return; }
      Object.keys(datasets).forEach(function (name) { have.view.data(name, datasets[name]); });
      have.view.runAsync();
      return;
    }
    var full = Object.assign({}, spec, { datasets: datasets });
    var entry = { key: key, view: null, pending: null };
    charts[id] = entry;
    vegaEmbed(el, full, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } })
      .then(function (result) {
        entry.view = result.view;
        if (entry.pending) { var d = entry.pending; entry.pending = null; chart(id, spec, d); }
        el.setAttribute('data-rendered', String(Date.now()));
      })
      .catch(function (e) { console.error(e); el.textContent = 'chart error: ' + e.message; });
  }

  function cellHtml(c, primary) {
    if (!c) return '<td' + (primary ? '' : ' class="extra"') + '></td>';
    var interval = c[6] === '' ? '' : ' [' + num(c[6]) + ', ' + num(c[7]) + ']';
    return '<td class="num' + (primary ? '' : ' extra') + '" data-statistic="' + esc(c[3]) +
      '" data-versus="' + esc(c[4]) + '" data-value="' + esc(c[5]) + '" data-lower="' + esc(c[6]) +
      '" data-upper="' + esc(c[7]) + '" title="' + esc(c[5] + (c[6] === '' ? '' : ' [' + c[6] + ', ' + c[7] + ']')) +
      '">' + num(c[5]) + interval + '</td>';
  }
  function paperRows(stages, columns, settings) {
    return stages.map(function (p) {
      return '<tr class="paper-row" data-paper="' + esc(p.agent) + '">' + (settings ? '<td></td>' : '') +
        '<td class="agent">' + esc(p.agent) + ': ' + esc(p.source) + '</td>' +
        columns.map(function (c) {
          var stage = /^episode_(\d+)_reward$/.exec(c.statistic);
          var value = stage ? p.values[Number(stage[1]) - 1] : undefined;
          return '<td class="num' + (c.primary ? '' : ' extra') + '">' + (value === undefined ? '' : esc(value)) + '</td>';
        }).join('') + '</tr>';
    }).join('');
  }
  function tableHtml(t, columns, stages) {
    var rows = [];
    var byKey = {};
    t.rows.forEach(function (r) {
      var key = r[0] + '\u0000' + r[1] + '\u0000' + r[2];
      var row = byKey[key];
      if (!row) { row = byKey[key] = { e: r[0], s: r[1], a: r[2], cells: {} }; rows.push(row); }
      row.cells[r[3] + (r[4] ? ' vs ' + r[4] : '')] = r;
    });
    var settings = rows.some(function (r) { return r.s !== ''; });
    var hidden = columns.filter(function (c) { return !c.primary; }).length;
    var head = '<tr>' + (settings ? '<th>setting</th>' : '') + '<th class="agent">agent</th>' +
      columns.map(function (c) {
        return '<th' + (c.primary ? '' : ' class="extra"') + ' data-key="' + esc(c.key) + '" title="' + esc(c.title) + '">' + esc(c.label) + '</th>';
      }).join('') + '</tr>';
    var body = rows.map(function (r) {
      return '<tr data-experiment="' + esc(r.e) + '" data-setting="' + esc(r.s) + '" data-agent="' + esc(r.a) + '">' +
        (settings ? '<td>' + esc(r.s) + '</td>' : '') + '<td class="agent">' + esc(r.a) + '</td>' +
        columns.map(function (c) { return cellHtml(r.cells[c.key], c.primary); }).join('') + '</tr>';
    }).join('');
    var toggle = hidden ? '<button type="button" id="more-columns"><span class="more">' + hidden +
      ' more columns</span><span class="fewer">fewer columns</span></button>' : '';
    return toggle + '<div class="scroll"><table id="comparison-table"><thead>' + head + '</thead><tbody>' + body +
      paperRows(stages, columns, settings) + '</tbody></table></div>';
  }
  document.addEventListener('click', function (e) {
    if (e.target.closest && e.target.closest('#more-columns')) section('table').classList.toggle('all-columns');
  });
  function roundLog(text) {
    return text.replace(/(^|[^\w.])(-?\d+\.\d{5,}(?:e[-+]?\d+)?)(?![\w.])/g, function (m, before, text) {
      var x = Number(text);
      return before + (Math.abs(x) >= 1000 ? x.toFixed(1) : String(Number(x.toPrecision(4))));
    });
  }

  var render = {
    index: function (d) {
      document.title = 'rl2lab results';
      var rows = d.experiments.map(function (e) {
        var trained = e.runs.filter(function (r) { return r.iteration !== null; });
        var its = trained.map(function (r) { return r.iteration; });
        var planned = trained.map(function (r) { return r.iterations; }).filter(function (n) { return n !== null; });
        var reached = its.length === 0 ? '–' : Math.min.apply(null, its) + (Math.max.apply(null, its) !== Math.min.apply(null, its) ? '–' + Math.max.apply(null, its) : '') +
          (planned.length ? ' / ' + Math.max.apply(null, planned) : '');
        var spis = trained.map(function (r) { return r.secondsPerIteration; }).filter(function (x) { return x !== null; });
        var spi = spis.length ? (spis.reduce(function (a, b) { return a + b; }, 0) / spis.length).toFixed(2) + ' s' : '–';
        var bad = e.problems.length + e.runs.reduce(function (n, r) { return n + r.problems.length; }, 0);
        return '<tr class="experiment" data-experiment="' + esc(e.name) + '"><td>' + link('experiment', e.path, e.name) +
          '<div class="note">' + esc(e.path) + '</div>' + problems(e.problems) + '</td><td>' + counts(e.runs) +
          (bad ? '<div class="failed">' + bad + ' unreadable file(s)</div>' : '') + '</td><td>' + esc(e.agents.join(', ')) +
          '</td><td>' + esc(e.seeds.join(', ')) + '</td><td class="num">' + reached + '</td><td class="num">' + spi +
          '</td><td><details><summary>' + e.runs.length + ' runs</summary>' + runRows(e.runs) + '</details></td></tr>';
      });
      setHtml('experiments', rows.length
        ? '<h2>Experiments</h2><table id="experiments-table"><thead><tr><th>experiment</th><th>runs</th><th>agents</th><th>seeds</th>' +
          '<th>iteration reached</th><th>time / iteration</th><th></th></tr></thead><tbody>' + rows.join('') + '</tbody></table>'
        : '<p>No experiments here yet (no experiment.resolved.json).</p>');
    },
    experiment: function (d) {
      document.title = d.name + ' · rl2lab';
      var facts = [];
      if (d.paper) facts.push('paper: ' + esc(d.paper.table) + ', row ' + esc(d.paper.row));
      facts.push(counts(d.runs));
      setHtml('facts', '<h2>' + esc(d.name) + '</h2><p>' + facts.join(' · ') + '</p>' + problems(d.problems));
      setHtml('table', d.table
        ? '<h2>Comparison</h2><p class="note">from ' + esc(d.table.source) + (d.table.note ? '; ' + esc(d.table.note) : '') +
          '</p>' + tableHtml(d.table, d.columns, d.paperStages)
        : '<h2>Comparison</h2><p class="note">no comparison yet: no finished runs</p>');
      if (d.curves.length || d.references.length) {
        chart('curves', d.specs.curves, { curves: d.curves, references: d.references });
      }
      if (d.adaptation.length) {
        chart('adaptation', d.specs.adaptation, { curves: d.adaptation, stages: d.stagePaper });
      }
      setHtml('runs', '<h2>Runs</h2>' + runRows(d.runs));
    },
    run: function (d) {
      var r = d.run;
      document.title = r.path + ' · rl2lab';
      setHtml('facts', '<h2>' + esc(r.id) + ' <span class="note">' + link('experiment', d.experiment, d.experiment) +
        '</span></h2>' + runRows([r]) + problems(d.problems));
      if (d.progress.length) chart('diagnostics', d.specs.diagnostics, { progress: d.progress });
      var evals = d.evaluations.map(function (e) {
        return '<tr><td class="num">' + e.iteration + '</td><td class="num">' + num(e.mean) + '</td></tr>';
      }).join('');
      setHtml('evaluations', evals ? '<h2>Evaluations</h2><table><tr><th>iteration</th><th>mean return</th></tr>' + evals + '</table>' : '');
      setHtml('manifest', d.manifest ? '<h2>Manifest</h2><pre>' + esc(d.manifest) + '</pre>' : '');
      setHtml('log', d.log !== undefined ? '<h2>Log</h2><p class="note">numbers of more than 4 decimals shown to 4 ' +
        'significant digits (log.txt keeps them)</p><pre id="log-text">' + esc(roundLog(d.log)) + '</pre>' : '');
    },
  };

  function show(data) {
    render[boot.page](data);
    document.body.setAttribute('data-updated', String(Date.now()));
  }
  function live(text) {
    var el = document.getElementById('live');
    if (el) el.textContent = text;
  }
  function poll() {
    var headers = etag ? { 'If-None-Match': etag } : {};
    fetch(boot.api, { cache: 'no-store', headers: headers }).then(function (res) {
      if (res.status === 304) return null;
      if (!res.ok) throw new Error('HTTP ' + res.status);
      etag = res.headers.get('ETag');
      return res.json();
    }).then(function (data) {
      if (data) show(data);
      live('live · checked ' + new Date().toLocaleTimeString());
    }).catch(function (e) {
      live('cannot reach the server (' + e.message + '); retrying');
    }).then(function () { setTimeout(poll, boot.poll); });
  }
  if (boot.data) show(boot.data);
  if (boot.api) poll();
})();
`;
