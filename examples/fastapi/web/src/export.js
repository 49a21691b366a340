// Export of what is drawn: the graph as a PNG image (Cytoscape.js's cy.png, the whole graph
// at twice the screen's resolution) or as JSON (the drawn elements in Cytoscape.js's
// elements format, with their positions, which cytoscape({ elements }) draws again).
// No SVG: that needs an extension this page does not bundle.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const { cy, el, showError } = view;

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name, hidden: "" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // A file name from the root: "lineage-stg.orders-2026-12-05T10-00-00.png".
  function fileName(ext) {
    const root = (view.state.root || "graph").replace(/[^A-Za-z0-9._-]+/g, "_");
    const stamp = new Date().toISOString().replace(/\.\d+Z$/, "").replace(/:/g, "-");
    return `lineage-${root}-${stamp}.${ext}`;
  }

  function drawnElements() {
    const strip = (data) => Object.fromEntries(Object.entries(data)
      .filter(([, v]) => v !== undefined));
    return {
      nodes: cy.nodes().map((n) => ({ group: "nodes", data: strip(n.data()),
        position: { ...n.position() }, classes: n.classes().join(" ") })),
      edges: cy.edges().map((e) => ({ group: "edges", data: strip(e.data()),
        classes: e.classes().join(" ") })),
    };
  }

  function exportPng() {
    if (cy.elements().empty()) return showError("Nothing is drawn yet: search for an asset first.");
    const blob = cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff", maxWidth: 8000,
      maxHeight: 8000 });
    download(blob, fileName("png"));
    document.body.dataset.exported = "png";
  }

  function exportJson() {
    if (cy.elements().empty()) return showError("Nothing is drawn yet: search for an asset first.");
    const body = {
      root: view.state.root, layout: view.state.layout, exported_at: new Date().toISOString(),
      filters: { direction: document.getElementById("direction").value,
        depth: Number(document.getElementById("depth").value),
        min_source: document.getElementById("min-source").value },
      zoom: cy.zoom(), pan: cy.pan(), elements: drawnElements(),
    };
    download(new Blob([JSON.stringify(body, null, 2)], { type: "application/json" }),
      fileName("json"));
    document.body.dataset.exported = "json";
  }

  document.getElementById("graph-pane").append(el("div", { class: "export" },
    el("span", { class: "kind" }, "Export "),
    el("button", { "data-action": "export-png", title: "The drawn graph as an image",
      onclick: exportPng }, "PNG"),
    el("button", { "data-action": "export-json", title: "The drawn elements and positions",
      onclick: exportJson }, "JSON")));
  view.exporter = { exportPng, exportJson, drawnElements };
});
