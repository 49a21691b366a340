// Pages beside the graph (#review, #import): a link in the header each; while one is open,
// the graph and details give it their place. Registered first, so that later parts can
// call view.addPage.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const pages = new Map(); // hash -> { link, section, label, onShow }
  const main = document.querySelector("main");
  const nav = view.el("nav", { class: "pages" });
  document.querySelector("header h1").after(nav);

  function route() {
    const open = pages.get(location.hash);
    main.hidden = Boolean(open);
    for (const [hash, page] of pages) {
      page.section.hidden = page !== open;
      page.link.textContent = page === open ? "Back to the graph" : page.label;
      page.link.setAttribute("href", page === open ? "#" : hash);
    }
    if (open) open.onShow();
    else view.cy.resize();
  }

  view.addPage = (hash, label, id, onShow) => {
    const section = view.el("section", { id, class: "page", hidden: "" });
    main.after(section);
    const link = view.el("a", { id: `${id}-link`, class: "nav", href: hash }, label);
    nav.append(link);
    pages.set(hash, { link, section, label, onShow });
    return section;
  };
  window.addEventListener("hashchange", route);
  // Once every part has added its pages (a page named in the address opens at load).
  setTimeout(route, 0);
});
