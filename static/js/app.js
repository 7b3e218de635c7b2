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
