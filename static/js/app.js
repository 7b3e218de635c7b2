// Site-wide behaviour. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  document.body.addEventListener("click", (event) => {
    const boton = event.target.closest("[data-copiar]");
    if (!boton) return;
    const origen = document.querySelector(boton.dataset.copiar);
    if (origen && navigator.clipboard) {
      // A field (the new API token) copies its value; a block, its text.
      const texto = "value" in origen ? origen.value : origen.textContent;
      navigator.clipboard.writeText(texto).then(() => {
        boton.textContent = "Copiado";
      });
    }
  });
});

// A new departamento makes the old distrito suggestions wrong: clear them until a provincia
// is chosen (the select names its datalist in data-distritos).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-distritos]");
  if (!select) return;
  const lista = document.querySelector(select.dataset.distritos);
  if (lista) lista.replaceChildren();
});

// A table wider than its scroll box (.table-responsive) gets .desborda, which draws the edge
// shadows of its sticky columns; a table that fits shows none. A box that scrolls (a table,
// a configuration) is also made focusable, so it can be scrolled from the keyboard.
function marcarDesbordes() {
  document.querySelectorAll(".table-responsive, pre").forEach((caja) => {
    const desborda =
      caja.scrollWidth > caja.clientWidth + 1 || caja.scrollHeight > caja.clientHeight + 1;
    caja.classList.toggle("desborda", desborda);
    if (desborda) caja.setAttribute("tabindex", "0");
    else caja.removeAttribute("tabindex");
  });
}
document.addEventListener("DOMContentLoaded", marcarDesbordes);
window.addEventListener("resize", marcarDesbordes);
document.addEventListener("htmx:afterSettle", marcarDesbordes);

// Bootstrap Icons are decorative everywhere (an icon-only control carries its own
// aria-label): hide their font glyphs from assistive technology, in pages and in htmx swaps.
function ocultarIconos(raiz) {
  raiz.querySelectorAll("i.bi:not([aria-hidden])").forEach((icono) => {
    icono.setAttribute("aria-hidden", "true");
  });
}
document.addEventListener("DOMContentLoaded", () => ocultarIconos(document));
document.addEventListener("htmx:load", (event) => ocultarIconos(event.target));
