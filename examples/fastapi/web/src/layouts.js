// Layouts beside the built-in ones: cose-bilkent (a force-directed layout that places
// compound nodes well: tables expanded into their columns), from the npm package.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  if (typeof cytoscapeCoseBilkent === "undefined") return;
  cytoscape.use(cytoscapeCoseBilkent);
  view.extraLayouts["cose-bilkent"] = () => ({ name: "cose-bilkent", randomize: true,
    nodeRepulsion: 6000, idealEdgeLength: 90, nodeDimensionsIncludeLabels: true,
    tile: true, animate: false });
  const select = document.getElementById("layout");
  select.insertBefore(view.el("option", { value: "cose-bilkent" }, "cose-bilkent"),
    select.querySelector('option[value="grid"]'));
});
