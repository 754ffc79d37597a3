/* splitcheck report: tooltips on bars (hover, tap or keyboard focus), the table row and
   its bar lit together, and the numbers under the pointer on the pace trace. No library,
   no request: this file is inlined into each page. */
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var lit = [];

  /* a chart's phone-shaped drawing carries no tooltip text: its bars take the wide
     drawing's, bar for bar (svg.py draws them in the same order) */
  document.querySelectorAll("svg.chart-svg.phone").forEach(function (svg) {
    var wide = document.getElementById(svg.id.replace(/-phone$/, ""));
    if (!wide) { return; }
    var from = wide.querySelectorAll("rect[data-tip]");
    svg.querySelectorAll("rect.bar").forEach(function (bar, i) {
      if (from[i] && !bar.hasAttribute("data-tip")) {
        bar.setAttribute("data-tip", from[i].getAttribute("data-tip"));
      }
    });
  });

  function light(row) {
    lit.forEach(function (el) { el.classList.remove("hot"); });
    lit = [];
    if (!row) { return; }
    document.querySelectorAll('[data-row="' + row + '"]').forEach(function (el) {
      el.classList.add("hot");
      lit.push(el);
    });
  }

  function show(lines, x, y) {
    tip.textContent = "";
    lines.forEach(function (line, i) {
      var el = document.createElement(i ? "div" : "strong");
      el.textContent = line;
      tip.appendChild(el);
    });
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(Math.max(8, x + 14), document.documentElement.clientWidth - w - 8);
    var top = y - h - 14;
    if (top < 8) { top = y + 18; }
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (top + window.scrollY) + "px";
  }

  function hide() {
    tip.hidden = true;
    light(null);
  }

  function tipOf(el, x, y) {
    light(el.getAttribute("data-row"));
    show(el.getAttribute("data-tip").split("\n"), x, y);
  }

  document.addEventListener("pointerover", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-tip]") : null;
    if (el) {
      tipOf(el, ev.clientX, ev.clientY);
      return;
    }
    var row = ev.target.closest ? ev.target.closest("tr[data-row]") : null;
    if (row) { light(row.getAttribute("data-row")); }
  });
  document.addEventListener("pointerout", function (ev) {
    if (ev.pointerType !== "mouse") { return; }  /* a tap's tip stays until the next tap */
    var el = ev.target.closest ? ev.target.closest("[data-tip], tr[data-row]") : null;
    if (el && !el.contains(ev.relatedTarget)) { hide(); }
  });
  document.addEventListener("pointerdown", function (ev) {
    var keep = ev.target.closest && ev.target.closest("[data-tip], .hover-area");
    if (!keep) { hide(); }
  });
  document.addEventListener("focusin", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-tip]") : null;
    if (!el) { return; }
    var r = el.getBoundingClientRect();
    tipOf(el, r.left + r.width / 2, r.top);
  });
  document.addEventListener("focusout", function (ev) {
    if (!ev.relatedTarget || !ev.relatedTarget.closest("[data-tip]")) { hide(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { hide(); }
  });

  function clock(s) {
    if (s === null || !isFinite(s)) { return "\u2013"; }
    s = Math.round(s);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var ss = (sec < 10 ? "0" : "") + sec;
    return h ? h + ":" + (m < 10 ? "0" : "") + m + ":" + ss : m + ":" + ss;
  }

  function nearest(xs, v) {
    var lo = 0, hi = xs.length - 1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (xs[mid] === null || xs[mid] < v) { lo = mid; } else { hi = mid; }
    }
    return Math.abs(xs[lo] - v) <= Math.abs(xs[hi] - v) ? lo : hi;
  }

  function traceReader(d, svg) {
    /* each chart drawn from the block (wide, phone) says where its plot lies */
    var area = svg.querySelector(".hover-area");
    var cursor = svg.querySelector(".cursor");
    var left = parseFloat(svg.getAttribute("data-left"));
    var plot = parseFloat(svg.getAttribute("data-plot"));
    var width = svg.viewBox.baseVal.width;
    function at(ev) {
      var box = svg.getBoundingClientRect();
      var ux = (ev.clientX - box.left) / box.width * width;
      var xv = d.x0 + (ux - left) / plot * (d.x1 - d.x0);
      var i = nearest(d.x, xv);
      var px = left + (d.x[i] - d.x0) / (d.x1 - d.x0) * plot;
      cursor.setAttribute("x1", px);
      cursor.setAttribute("x2", px);
      cursor.setAttribute("visibility", "visible");
      var lines = [d.xkind === "distance" ? d.x[i].toFixed(2) + " " + d.unit
                                           : clock(d.x[i] * 60)];
      if (d.v && d.v[i] !== null) {
        lines.push(d.speed ? d.v[i].toFixed(1) + " " + d.vunit
                           : "pace " + clock(d.v[i]) + " " + d.vunit);
      }
      if (d.hr && d.hr[i] !== null) { lines.push("heart rate " + Math.round(d.hr[i]) + " bpm"); }
      if (d.el && d.el[i] !== null) { lines.push("elevation " + Math.round(d.el[i]) + " " + (d.elunit || "m")); }
      show(lines, ev.clientX, ev.clientY);
    }
    area.addEventListener("pointermove", at);
    area.addEventListener("pointerdown", at);
    area.addEventListener("pointerleave", function (ev) {
      if (ev.pointerType !== "mouse") { return; }  /* a tap's reading stays */
      cursor.setAttribute("visibility", "hidden");
      hide();
    });
  }

  document.querySelectorAll("script.trace-data").forEach(function (block) {
    var d = JSON.parse(block.textContent);
    if (!d.x || d.x.length < 2) { return; }
    block.getAttribute("data-for").split(" ").forEach(function (id) {
      var svg = document.getElementById(id);
      if (svg) { traceReader(d, svg); }
    });
  });
}());
