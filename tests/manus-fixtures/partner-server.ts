/**
 * A partner's web server for manus, on loopback addresses only: 127.0.0.2 … 127.0.0.6 play partner
 * hosts (the test allows them by configuration), 127.0.0.1 plays the inside of the network (never
 * allowed: its hit count proves a refused request never reached it). One port for all of them.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export const PARTNER = "127.0.0.2";
export const MORE_PARTNERS = ["127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"];
export const INSIDE = "127.0.0.1";

const DESCRIPTION = "Bicicletă de oraș în stare foarte bună, folosită un singur sezon, cu lumini, coș și apărători noi.";

/** A JSON feed: one item that maps, one car without its required attributes, one priced in dollars. */
export const FEED = {
  products: [
    {
      sku: "BIKE-1",
      title: "Bicicletă de oraș Pegas Strada, roți 28",
      description: `<p>${DESCRIPTION}</p>`,
      price: "1.250 lei",
      category: "Sport, timp liber, artă > Biciclete",
      location: "Cluj-Napoca, jud. Cluj",
      condition: "folosit",
      images: ["/img/bike-1.jpg"],
      attributes: { "Tip bicicletă": "Trekking / oraș", brand: "Pegas" },
    },
    {
      sku: "CAR-1",
      title: "Dacia Logan 1.5 dCi, primul proprietar",
      description: "Mașină îngrijită, revizii la zi, fără accidente, acte în regulă, gata de drum lung.",
      price: 5900,
      currency: "EUR",
      category: "Autoturisme",
      city: "Brașov",
      county: "BV",
    },
    {
      sku: "USD-1",
      title: "Cameră foto de colecție, funcțională",
      description: "Cameră foto veche, funcțională, cu obiectiv original și husă din piele, pentru colecționari.",
      price: { amount: 300, currency: "USD" },
      category: "Artă și antichități",
      city: "Sibiu",
      county: "SB",
    },
  ],
};

/** A product page with schema.org Product/Offer JSON-LD in a @graph. */
export const PRODUCT_PAGE = `<!doctype html>
<html lang="ro"><head><title>iPhone 13</title>
<script type="application/ld+json">${JSON.stringify({
  "@context": "https://schema.org",
  "@graph": [
    { "@type": "Organization", name: "Partener SRL" },
    {
      "@type": "Product",
      name: "Apple iPhone 13 128GB, albastru, cu cutie",
      description: "Telefon în stare perfectă, folosit cu husă și folie de la cumpărare, baterie 91%, cu cutie și cablu.",
      sku: "IP13-128",
      image: "/img/ip13.jpg",
      category: "Electronice și electrocasnice > Telefoane",
      brand: { "@type": "Brand", name: "Apple" },
      offers: { "@id": "#offer" },
    },
    {
      "@type": "Offer",
      "@id": "#offer",
      price: "3200.00",
      priceCurrency: "RON",
      itemCondition: "https://schema.org/UsedCondition",
      availableAtOrFrom: { "@type": "Place", address: { "@type": "PostalAddress", addressLocality: "Timișoara", addressRegion: "Timiș" } },
    },
  ],
})}</script></head><body><h1>iPhone 13</h1></body></html>`;

export interface PartnerServer {
  port: number;
  /** Requests per listener address. */
  hits: Map<string, number>;
  /** The most /pause requests answered at once, overall and per host. */
  pauses: { max: number; maxPerHost: number };
  close(): Promise<void>;
}

export async function startPartnerServer(): Promise<PartnerServer> {
  const hits = new Map<string, number>();
  const active = new Map<string, number>();
  const pauses = { max: 0, maxPerHost: 0 };
  const sockets = new Set<import("node:net").Socket>();

  const handler = (host: string): http.RequestListener => (req, res) => {
    hits.set(host, (hits.get(host) ?? 0) + 1);
    const url = new URL(req.url!, "http://x");
    switch (url.pathname) {
      case "/feed.json":
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(FEED));
      case "/product.html":
        return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PRODUCT_PAGE);
      case "/redirect":
        return void res.writeHead(302, { location: url.searchParams.get("to")! }).end();
      case "/huge": {
        // 6 MB, chunked (no Content-Length to refuse it by): the 5 MB cap must cut it off.
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 6 * 1024 * 1024 && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        return pump();
      }
      case "/slow":
        // Headers at once, then a body that never ends: only the timeout stops it.
        return void res.writeHead(200, { "content-type": "application/json" }).write('{"items": [');
      case "/pause": {
        const now = { all: [...active.values()].reduce((a, b) => a + b, 0) + 1, host: (active.get(host) ?? 0) + 1 };
        active.set(host, now.host);
        pauses.max = Math.max(pauses.max, now.all);
        pauses.maxPerHost = Math.max(pauses.maxPerHost, now.host);
        return void setTimeout(() => {
          active.set(host, active.get(host)! - 1);
          res.writeHead(200, { "content-type": "application/json" }).end("[]");
        }, 300);
      }
      default:
        return void res.writeHead(404).end();
    }
  };

  let servers: http.Server[] = [];
  const listen = (host: string, port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = http.createServer(handler(host));
      server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      server.once("error", reject);
      server.listen(port, host, () => {
        servers.push(server);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const closeAll = () => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  // The port the system picks for 127.0.0.2 may be taken on another address (a busy machine): pick again.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      port = await listen(PARTNER, 0);
      for (const host of [INSIDE, ...MORE_PARTNERS]) await listen(host, port);
      break;
    } catch (error) {
      await closeAll();
      servers = [];
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt === 10) throw error;
    }
  }

  return {
    port,
    hits,
    pauses,
    async close() {
      for (const socket of sockets) socket.destroy();
      await closeAll();
    },
  };
}
