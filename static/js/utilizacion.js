// Utilisation charts (uPlot, vendored): a connection's entrada/salida against its contracted
// bandwidth (with the ledger's steps) and its 95th percentile; a provider service's summed
// traffic against its contracted and sold capacity. Each chart has a text alternative: the
// aria-label of its picture and the summary table under it. No inline scripts (CSP).
(() => {
  const formato = new Intl.NumberFormat("es-PE", { maximumFractionDigits: 1 });
  const mbps = (v) => (v === null || v === undefined ? "—" : `${formato.format(v)} Mbps`);
  const PERIODOS = { 24: "24 h", 168: "7 días", 720: "30 días", 8760: "1 año" };

  // Axis labels in the site's language, 24-hour clock: hours for a day, days beyond.
  function fecha(segundos, horas) {
    const d = new Date(segundos * 1000);
    const opciones = horas <= 24 ? { hour: "2-digit", minute: "2-digit", hour12: false }
      : horas <= 720 ? { day: "2-digit", month: "2-digit" }
      : { month: "short", year: "2-digit" };
    return d.toLocaleString("es-PE", opciones);
  }

  function resumen(valores) {
    const numeros = valores.filter((v) => v !== null && v !== undefined);
    if (!numeros.length) return { promedio: null, maximo: null, ultimo: null };
    const suma = numeros.reduce((a, b) => a + b, 0);
    return {
      promedio: suma / numeros.length,
      maximo: Math.max(...numeros),
      ultimo: numeros[numeros.length - 1],
    };
  }

  // The contracted bandwidth at each moment: the ledger's steps within the range.
  function contratado(datos, xs) {
    const pasos = (datos.pasos_bw || []).map((p) => [Date.parse(p.momento) / 1000, p]);
    return xs.map((x) => {
      let valor = pasos.length ? pasos[0][1].bw_anterior : datos.bw_contratado;
      for (const [t, paso] of pasos) if (t <= x) valor = paso.bw_contratado;
      return valor;
    });
  }

  function fila(tbody, celdas) {
    const tr = document.createElement("tr");
    celdas.forEach((texto, i) => {
      const celda = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) celda.scope = "row";
      else celda.className = "num";
      celda.textContent = texto;
      tr.appendChild(celda);
    });
    tbody.appendChild(tr);
  }

  function dibujar(contenedor, datos, horas) {
    const lienzo = contenedor.querySelector("[data-lienzo]");
    const estado = contenedor.querySelector("[data-estado]");
    const tbody = contenedor.querySelector("[data-resumen] tbody");
    const xs = datos.puntos.map((p) => Date.parse(p.momento) / 1000);
    const entrada = datos.puntos.map((p) => p.entrada_mbps);
    const salida = datos.puntos.map((p) => p.salida_mbps);
    const linea = { points: { show: false } };
    const series = [{}, { ...linea, label: "Entrada", stroke: "#0d6efd", width: 1.5 },
      { ...linea, label: "Salida", stroke: "#198754", width: 1.5 }];
    const valores = [xs, entrada, salida];
    const lineas = [];
    if ("bw_contratado" in datos) {
      series.push({ ...linea, label: "Contratado", stroke: "#dc3545", dash: [6, 4], width: 1.5 });
      valores.push(contratado(datos, xs));
      lineas.push(["BW contratado", mbps(datos.bw_contratado)]);
      if (datos.p95_mbps !== null) {
        series.push({ ...linea, label: "Percentil 95", stroke: "#fd7e14", dash: [2, 3], width: 1 });
        valores.push(xs.map(() => datos.p95_mbps));
        lineas.push(["Percentil 95", mbps(datos.p95_mbps)]);
      }
    } else {
      series.push({ ...linea, label: "Contratada", stroke: "#dc3545", dash: [6, 4], width: 1.5 });
      valores.push(xs.map(() => datos.capacidad_contratada));
      series.push({ ...linea, label: "Vendida", stroke: "#6f42c1", dash: [2, 3], width: 1 });
      valores.push(xs.map(() => datos.capacidad_vendida));
      lineas.push(["Capacidad contratada", mbps(datos.capacidad_contratada)]);
      lineas.push(["Capacidad vendida", mbps(datos.capacidad_vendida)]);
    }
    const e = resumen(entrada);
    const s = resumen(salida);
    tbody.replaceChildren();
    fila(tbody, ["Entrada", mbps(e.promedio), mbps(e.maximo), mbps(e.ultimo)]);
    fila(tbody, ["Salida", mbps(s.promedio), mbps(s.maximo), mbps(s.ultimo)]);
    for (const [nombre, valor] of lineas) fila(tbody, [nombre, valor, valor, valor]);
    const resolucion = { "5m": "5 minutos", "1h": "1 hora", "1d": "1 día" }[datos.resolucion];
    const periodo = PERIODOS[horas];
    lienzo.setAttribute(
      "aria-label",
      `${contenedor.dataset.titulo}, últimos ${periodo}: entrada promedio ${mbps(e.promedio)}, ` +
        `máxima ${mbps(e.maximo)}; salida promedio ${mbps(s.promedio)}, máxima ${mbps(s.maximo)}` +
        (lineas.length ? `; ${lineas.map(([n, v]) => `${n} ${v}`).join("; ")}` : "") +
        ". Detalle en la tabla siguiente.",
    );
    estado.textContent = xs.length
      ? `${xs.length} puntos de ${resolucion}, últimos ${periodo}.`
      : `Sin lecturas en los últimos ${periodo}.`;
    if (contenedor._grafico) contenedor._grafico.destroy();
    lienzo.replaceChildren();
    if (!xs.length || typeof uPlot === "undefined") return;
    const ancho = Math.max(lienzo.clientWidth, 200);
    contenedor._grafico = new uPlot(
      {
        width: ancho,
        height: ancho < 500 ? 200 : 260,
        series,
        axes: [
          { values: (u, ticks) => ticks.map((t) => fecha(t, horas)) },
          { values: (u, ticks) => ticks.map((t) => formato.format(t)), size: 56 },
        ],
        scales: { x: { time: true } },
        legend: { live: false },
      },
      valores,
      lienzo,
    );
  }

  async function cargar(contenedor, horas) {
    const estado = contenedor.querySelector("[data-estado]");
    estado.textContent = "Cargando…";
    const hasta = new Date();
    const desde = new Date(hasta.getTime() - horas * 3600 * 1000);
    const url = `${contenedor.dataset.url}?desde=${encodeURIComponent(desde.toISOString())}` +
      `&hasta=${encodeURIComponent(hasta.toISOString())}`;
    try {
      const respuesta = await fetch(url, { headers: { Accept: "application/json" } });
      if (!respuesta.ok) throw new Error(String(respuesta.status));
      dibujar(contenedor, await respuesta.json(), horas);
    } catch (error) {
      estado.textContent = "No se pudo cargar la utilización; vuelva a intentarlo.";
    }
  }

  function iniciar(contenedor) {
    let horas = 24;
    contenedor.querySelectorAll("[data-periodo]").forEach((boton) => {
      boton.addEventListener("click", () => {
        horas = Number(boton.dataset.periodo);
        contenedor.querySelectorAll("[data-periodo]").forEach((b) => {
          b.classList.toggle("active", b === boton);
          b.setAttribute("aria-pressed", String(b === boton));
        });
        cargar(contenedor, horas);
      });
    });
    let ancho = contenedor.clientWidth;
    window.addEventListener("resize", () => {
      const lienzo = contenedor.querySelector("[data-lienzo]");
      if (contenedor._grafico && contenedor.clientWidth !== ancho) {
        ancho = contenedor.clientWidth;
        const w = Math.max(lienzo.clientWidth, 200);
        contenedor._grafico.setSize({ width: w, height: w < 500 ? 200 : 260 });
      }
    });
    cargar(contenedor, horas);
  }

  const arrancar = () => document.querySelectorAll("[data-grafico-utilizacion]").forEach(iniciar);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", arrancar);
  else arrancar();
})();
