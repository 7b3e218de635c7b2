// Site-wide behaviour. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  document.body.addEventListener("click", (event) => {
    const boton = event.target.closest("[data-copiar]");
    if (!boton) return;
    const origen = document.querySelector(boton.dataset.copiar);
    if (origen && navigator.clipboard) {
      navigator.clipboard.writeText(origen.textContent).then(() => {
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
