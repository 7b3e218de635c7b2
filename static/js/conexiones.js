// Connection pages: the Ajustar BW modal, the equipment rows and the capacity mirror.
// No inline scripts (Content-Security-Policy): everything hangs off data attributes.
(() => {
  const modalActual = () => document.querySelector("#modal-container .modal");

  // The button that opened the modal gets the focus back when it closes (Bootstrap only does
  // that for its own data-bs-toggle triggers). After an adjustment the refreshed row or
  // detail replaces that button: its successor, the one with the same hx-get, gets it then.
  let origen = null; // {elemento, url, refresco}

  function devolverFoco() {
    if (!origen) return;
    const destino = origen.elemento.isConnected
      ? origen.elemento
      : document.querySelector(`[hx-get="${CSS.escape(origen.url || "")}"]`);
    if (destino) destino.focus();
  }

  // A modal partial swapped into #modal-container opens at once.
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "form-ajuste-bw") {
      // A refused adjustment comes back as the same form with errors: focus the first
      // field to fix (the focused button was replaced, and focus must stay in the modal).
      const formulario = document.getElementById("form-ajuste-bw");
      const campo = formulario && formulario.querySelector(".is-invalid, input[name=mbps]");
      if (campo) campo.focus();
      return;
    }
    if (event.detail.target.id !== "modal-container") return;
    const elemento = modalActual();
    if (!elemento || !window.bootstrap) return;
    const disparador = event.detail.requestConfig && event.detail.requestConfig.elt;
    origen = disparador
      ? { elemento: disparador, url: disparador.getAttribute("hx-get"), refresco: false }
      : null;
    elemento.addEventListener("shown.bs.modal", () => {
      const campo = elemento.querySelector("input[name=mbps]");
      if (campo) campo.focus();
    });
    elemento.addEventListener("hidden.bs.modal", () => {
      document.getElementById("modal-container").replaceChildren();
      devolverFoco();
      if (origen && (!origen.refresco || !origen.elemento.isConnected)) origen = null;
    });
    bootstrap.Modal.getOrCreateInstance(elemento).show();
  });

  // Tab wraps round inside the open modal: from its last control to its first and back,
  // never out to the page behind it or the browser's toolbar.
  document.addEventListener("keydown", (event) => {
    const elemento = modalActual();
    if (event.key !== "Tab" || !elemento || !elemento.classList.contains("show")) return;
    const enfocables = [
      "a[href]", "button:not([disabled])", "input:not([disabled]):not([type=hidden])",
      "select:not([disabled])", "textarea:not([disabled])", "summary", "[tabindex]:not([tabindex='-1'])",
    ].join(", ");
    const controles = [...elemento.querySelectorAll(enfocables)].filter((c) => c.offsetParent !== null);
    if (!controles.length) return;
    const primero = controles[0];
    const ultimo = controles[controles.length - 1];
    const enElPrimero = document.activeElement === primero || document.activeElement === elemento;
    if (event.shiftKey && enElPrimero) {
      event.preventDefault();
      ultimo.focus();
    } else if (!event.shiftKey && document.activeElement === ultimo) {
      event.preventDefault();
      primero.focus();
    }
  });

  // The refresh that follows an adjustment may land after the modal has closed.
  document.addEventListener("htmx:afterSettle", () => {
    if (!origen || modalActual() || origen.elemento.isConnected) return;
    if (document.activeElement === document.body) devolverFoco();
    origen = null;
  });

  // A valid adjustment answers 204 + HX-Trigger {"bwAjustado": {"id": …}}: close the modal
  // and refresh what shows that connection (its list row, the detail page figures).
  document.addEventListener("bwAjustado", (event) => {
    if (origen) origen.refresco = true;
    const elemento = modalActual();
    if (elemento && window.bootstrap) bootstrap.Modal.getOrCreateInstance(elemento).hide();
    const id = String(event.detail.id);
    document.querySelectorAll("[data-refrescar-conexion]").forEach((destino) => {
      if (destino.dataset.refrescarConexion === id) htmx.trigger(destino, "refrescar");
    });
    if (event.detail.mensaje) mostrarMensaje(event.detail.mensaje);
  });

  function mostrarMensaje(texto) {
    const contenedor = document.getElementById("mensajes");
    if (!contenedor) return;
    const alerta = document.createElement("div");
    alerta.className = "alert alert-success alert-dismissible fade show";
    alerta.setAttribute("role", "alert");
    alerta.textContent = texto;
    const cerrar = document.createElement("button");
    cerrar.type = "button";
    cerrar.className = "btn-close";
    cerrar.dataset.bsDismiss = "alert";
    cerrar.setAttribute("aria-label", "Cerrar");
    alerta.appendChild(cerrar);
    contenedor.replaceChildren(alerta);
  }

  // Equipment rows: "+ Agregar equipo" clones the <template>, ❌ removes its row.
  document.addEventListener("click", (event) => {
    const agregar = event.target.closest("[data-agregar-equipo]");
    if (agregar) {
      const plantilla = document.getElementById("equipo-fila-plantilla");
      const filas = document.getElementById("equipos-filas");
      if (plantilla && filas) {
        filas.appendChild(plantilla.content.cloneNode(true));
        const fila = filas.lastElementChild;
        if (window.htmx) htmx.process(fila); // the row's equipment search (large stocks)
        fila.querySelector("input, select").focus();
      }
      return;
    }
    const quitar = event.target.closest("[data-quitar-equipo]");
    if (quitar) {
      const fila = quitar.closest(".equipo-fila");
      if (fila) fila.remove();
    }
  });

  // "Capacidad disponible" mirrors "Capacidad contratada" (read-only).
  document.addEventListener("input", (event) => {
    const origen = event.target.closest("[data-espejo]");
    if (!origen) return;
    const espejo = document.querySelector(origen.dataset.espejo);
    if (espejo) espejo.value = origen.value;
  });
})();
