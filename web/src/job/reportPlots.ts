/**
 * The plots of a report.html, each as an image: the SVGs vega drew are taken out of the page with
 * DOMParser (which runs nothing) and shown through <img> (an SVG image runs no script and reaches
 * nothing), so the job page shows them inline without trusting the page that holds them.
 */
export interface ReportPlot {
  title: string;
  src: string;
}

export function reportPlots(html: string | null): ReportPlot[] {
  if (!html) return [];
  const page = new DOMParser().parseFromString(html, 'text/html');
  const serializer = new XMLSerializer();
  return [...page.querySelectorAll('figure svg, body > svg')].map((svg, i) => {
    if (!svg.getAttribute('xmlns')) svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    const title =
      svg.closest('figure')?.getAttribute('data-title') ??
      svg.querySelector('.role-title-text, title')?.textContent ??
      `plot ${i + 1}`;
    return { title, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(serializer.serializeToString(svg))}` };
  });
}
