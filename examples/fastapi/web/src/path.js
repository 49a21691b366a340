// Path between two assets: "Path from here" on one asset, "Path to here" on another; the
// paths the service finds (shortest first) are highlighted and the rest of the graph faded.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const { cy, api, el, enc, showError } = view;
  let from = null;
  let last = null; // the path highlighted, again after a redraw

  cy.style()
    .selector(".faded").style({ "opacity": 0.18 })
    .selector("node.on-path").style({ "border-width": 4, "border-color": "#f59e0b" })
    .selector("edge.on-path").style({ "width": 5, "line-color": "#f59e0b",
      "target-arrow-color": "#f59e0b", "z-index": 10 })
    .update();

  function clear() {
    last = null;
    cy.elements().removeClass("on-path faded");
    delete document.body.dataset.path;
  }

  async function highlight(source, target) {
    let body;
    try {
      body = await api(`/lineage/path?from=${enc(source)}&to=${enc(target)}&all=true&max_paths=20`);
    } catch (err) {
      showError(err.message);
      return;
    }
    clear();
    last = [source, target];
    if (!body.paths.length) {
      showError(`No data flows from ${source} to ${target} (within 10 hops).`);
      document.body.dataset.path = "none";
      return;
    }
    const node = (key) => cy.nodes().filter((n) => n.data("key") === key && !n.data("part"));
    let on = cy.collection();
    for (const keys of body.paths) {
      keys.forEach((key, i) => {
        on = on.union(node(key));
        if (i > 0) on = on.union(node(keys[i - 1]).edgesTo(node(key)));
      });
    }
    cy.elements().not(on).addClass("faded");
    on.addClass("on-path");
    document.body.dataset.path = body.paths.map((p) => p.join(">")).join("|");
  }

  view.detailsHooks.push((asset) => {
    const buttons = [el("button", { "data-action": "path-from",
      onclick: () => { from = asset.key; view.showAsset(asset.key); } }, "Path from here")];
    if (from && from !== asset.key) {
      buttons.push(" ", el("button", { "data-action": "path-to",
        onclick: () => highlight(from, asset.key) }, `Path from ${from} to here`));
    }
    if (document.body.dataset.path) {
      buttons.push(" ", el("button", { "data-action": "path-clear", onclick: clear }, "Clear path"));
    }
    return [el("p", { class: "path-actions" }, ...buttons)];
  });
  view.graphHooks.push(async () => {
    const again = last;
    clear();
    if (again) await highlight(...again);
  });
  view.path = { highlight, clear };
});
