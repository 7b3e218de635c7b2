(ancho) => {
  // One pass over a page at a given width: the list of what is wrong with its layout.
  // Evaluated by tests/browser/test_pantallas.py (page.evaluate(script, ancho)); the file
  // must start with the function for Playwright to call it.
  const problemas = [];
  const vw = document.documentElement.clientWidth;
  const nombre = (e) => (e.getAttribute("aria-label") || e.textContent || e.tagName).trim().slice(0, 40);
  if (document.documentElement.scrollWidth > vw) {
    problemas.push(`la página se desplaza de lado: ${document.documentElement.scrollWidth} px en ${vw}`);
  }
  for (const caja of document.querySelectorAll("main .table-responsive")) {
    if (!caja.offsetParent) continue;
    const oculto = caja.scrollWidth - caja.clientWidth;
    if (ancho >= 1280 && oculto > 1) {
      problemas.push(`una tabla no cabe (${oculto} px ocultos): ${nombre(caja.querySelector("thead") || caja)}`);
    }
    // Every button of a row and, in a list, its first cell (CID, name): in view with the
    // box scrolled to either end (sticky), or the table must fit.
    const fijos = [
      ...caja.querySelectorAll(".tabla-lista > tbody > tr > td:first-child:not([colspan])"),
      ...caja.querySelectorAll("td .btn"),
    ];
    for (const x of oculto > 0 ? [0, oculto] : [0]) {
      caja.scrollLeft = x;
      const c = caja.getBoundingClientRect();
      for (const e of fijos) {
        const r = e.getBoundingClientRect();
        if (r.left < Math.max(c.left, 0) - 1 || r.right > Math.min(c.right, vw) + 1) {
          problemas.push(`«${nombre(e)}» queda fuera de su caja o de la pantalla (desplazada ${x} px)`);
        }
      }
    }
    caja.scrollLeft = 0;
  }
  const lienzo = document.createElement("canvas").getContext("2d");
  for (const select of document.querySelectorAll("main form[role=search] select")) {
    if (!select.offsetParent) continue;
    const estilo = getComputedStyle(select);
    lienzo.font = `${estilo.fontWeight} ${estilo.fontSize} ${estilo.fontFamily}`;
    const texto = select.selectedOptions.length ? select.selectedOptions[0].text : "";
    const necesario = lienzo.measureText(texto).width + parseFloat(estilo.paddingLeft) + parseFloat(estilo.paddingRight);
    if (necesario > select.clientWidth + 1) problemas.push(`el filtro ${select.name} corta «${texto}»`);
  }
  if (ancho < 576) {
    // One column: every field of a filter or form as wide as its form (checkboxes apart).
    const campos = "main form :is(select, textarea, input:not([type=hidden], [type=checkbox], [type=radio], [type=submit]))";
    for (const campo of document.querySelectorAll(campos)) {
      if (!campo.offsetParent || campo.closest(".input-group")) continue;
      const fila = campo.closest("form").getBoundingClientRect().width;
      if (campo.getBoundingClientRect().width < 0.75 * fila) {
        problemas.push(`el campo ${campo.name} no ocupa la fila (${Math.round(campo.getBoundingClientRect().width)} de ${Math.round(fila)} px)`);
      }
    }
  }
  return [...new Set(problemas)];
}
