import { describe, expect, it } from "vitest";
import { readPage } from "./manus-page.ts";

const json = (value: unknown, contentType = "application/json") => ({ url: "https://partner.example/feed.json", contentType, text: JSON.stringify(value) });
const html = (body: string, contentType: string | undefined = "text/html; charset=utf-8") => ({ url: "https://partner.example/p/1", contentType, text: `<!doctype html><html><head>${body}</head><body><p>x</p></body></html>` });
const ld = (value: unknown, type = "application/ld+json") => `<script type="${type}">${JSON.stringify(value)}</script>`;

describe("JSON feeds", () => {
  const product = { title: "Telefon Samsung Galaxy S21", description: "Stare foarte bună", price: 1500, currency: "RON", category: "Telefoane", city: "Cluj-Napoca", county: "CJ" };

  it.each([
    ["an array", [product]],
    ["items", { items: [product] }],
    ["products", { products: [product] }],
    ["data.items", { data: { items: [product] } }],
    ["one product", product],
  ])("reads %s", (_, feed) => {
    const { items, problems } = readPage(json(feed), 200);
    expect(problems).toEqual([]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ title: product.title, price: { amount: 1500, currency: "RON" }, category: ["Telefoane"], location: { city: "Cluj-Napoca", county: "CJ" } });
  });

  it("reads the common field names, nested prices, category paths, places, images and attributes", () => {
    const { items } = readPage(
      json({
        products: [
          {
            sku: "A-17",
            name: "Laptop Lenovo &amp; husă",
            descriere: "<p>Laptop <b>bun</b>.</p><p>Baterie nouă &amp; încărcător.</p>",
            price: { amount: "2.499,90", currency: "lei" },
            categories: ["Electronice", "Laptopuri și calculatoare"],
            location: { city: "Iași", region: "Iași" },
            condition: "folosit",
            images: ["/img/1.jpg", { url: "https://cdn.example/2.jpg" }, "javascript:alert(1)", "/img/1.jpg"],
            attributes: [{ name: "Memorie RAM", value: "16 GB" }],
            brand: "Lenovo",
          },
          { titlu: "Bicicletă", pret: "850 RON", categorie: "Sport > Biciclete", locatie: "Brașov, jud. Brașov", imagini: "https://cdn.example/b.jpg" },
        ],
      }),
      200,
    );
    expect(items[0]).toEqual({
      ref: "products[0]",
      id: "A-17",
      title: "Laptop Lenovo & husă",
      description: "Laptop bun.\n\nBaterie nouă & încărcător.",
      price: { amount: "2.499,90", currency: "lei" },
      category: ["Electronice", "Laptopuri și calculatoare"],
      location: { city: "Iași", county: "Iași" },
      condition: "folosit",
      images: ["https://partner.example/img/1.jpg", "https://cdn.example/2.jpg"],
      attributes: { brand: "Lenovo", "Memorie RAM": "16 GB" },
    });
    expect(items[1]).toMatchObject({ ref: "products[1]", title: "Bicicletă", price: { amount: "850 RON" }, category: ["Sport", "Biciclete"], location: { text: "Brașov, jud. Brașov" }, images: ["https://cdn.example/b.jpg"] });
  });

  it("says why a document gives no items", () => {
    expect(readPage(json({ message: "hello" }), 200)).toEqual({ items: [], problems: [expect.objectContaining({ reason: "NO_ITEMS" })] });
    expect(readPage(json({ items: [] }), 200).problems).toEqual([expect.objectContaining({ reason: "NO_ITEMS" })]);
    expect(readPage({ url: "https://p.example/", contentType: "application/json", text: "{nope" }, 200).problems).toEqual([expect.objectContaining({ reason: "INVALID_JSON" })]);
    expect(readPage({ url: "https://p.example/", contentType: "image/png", text: "\u0089PNG" }, 200).problems).toEqual([expect.objectContaining({ reason: "UNSUPPORTED_CONTENT" })]);
  });

  it("takes at most maxItems and says so", () => {
    const { items, problems } = readPage(json(Array.from({ length: 5 }, (_, i) => ({ title: `t${i}` }))), 3);
    expect(items.map((i) => i.title)).toEqual(["t0", "t1", "t2"]);
    expect(problems).toEqual([expect.objectContaining({ reason: "TOO_MANY_ITEMS", message: "5 items: the first 3 were read" })]);
  });

  it("tells JSON from HTML by the body when Content-Type says neither", () => {
    expect(readPage({ ...json([{ title: "x" }]), contentType: "text/plain" }, 10).items).toHaveLength(1);
    expect(readPage({ ...html(ld({ "@type": "Product", name: "y" })), contentType: undefined }, 10).items).toHaveLength(1);
  });
});

describe("schema.org JSON-LD", () => {
  const phone = {
    "@context": "https://schema.org",
    "@type": "Product",
    name: "iPhone 13 128GB",
    description: "Telefon în stare perfectă, cu cutie.",
    sku: "IP13",
    image: ["https://cdn.example/ip13.jpg", { "@type": "ImageObject", url: "/ip13-2.jpg" }],
    category: "Electronice > Telefoane",
    brand: { "@type": "Brand", name: "Apple" },
    additionalProperty: [{ "@type": "PropertyValue", name: "storageGb", value: 128 }],
    offers: {
      "@type": "Offer",
      price: "3200.00",
      priceCurrency: "RON",
      itemCondition: "https://schema.org/UsedCondition",
      availableAtOrFrom: { "@type": "Place", address: { "@type": "PostalAddress", addressLocality: "Timișoara", addressRegion: "Timiș" } },
    },
  };
  const expected = {
    ref: "ld+json[0]",
    id: "IP13",
    title: "iPhone 13 128GB",
    description: "Telefon în stare perfectă, cu cutie.",
    price: { amount: "3200.00", currency: "RON" },
    category: ["Electronice", "Telefoane"],
    location: { city: "Timișoara", county: "Timiș" },
    condition: "https://schema.org/UsedCondition",
    images: ["https://cdn.example/ip13.jpg", "https://partner.example/ip13-2.jpg"],
    attributes: { brand: "Apple", storageGb: 128 },
  };

  it("reads a Product with its Offer from an HTML page", () => {
    const { items, problems } = readPage(html(`<script>var x = "<script type='application/ld+json'>"</script>${ld(phone)}`), 10);
    expect(problems).toEqual([]);
    expect(items).toEqual([expected]);
  });

  it("reads products in arrays, @graph (with @id references), Offer.itemOffered and ItemList", () => {
    const { offers, ...bare } = phone;
    const graph = {
      "@context": "https://schema.org",
      "@graph": [
        { "@type": "WebSite", name: "Partener" },
        { ...bare, offers: { "@id": "#offer" } },
        { ...offers, "@id": "#offer" },
      ],
    };
    expect(readPage(html(ld(graph)), 10).items).toEqual([{ ...expected, ref: "ld+json[0].@graph[1]" }]);
    expect(readPage(html(ld([{ "@type": "BreadcrumbList" }, phone])), 10).items).toEqual([{ ...expected, ref: "ld+json[0][1]" }]);
    expect(readPage(html(ld({ ...offers, itemOffered: bare })), 10).items).toEqual([{ ...expected, ref: "ld+json[0].itemOffered" }]);
    const list = { "@type": "ItemList", itemListElement: [{ "@type": "ListItem", position: 1, item: phone }, { "@type": "ListItem", position: 2, item: { ...phone, name: "iPhone 12", sku: "IP12" } }] };
    expect(readPage(html(ld(list)), 10).items.map((i) => [i.ref, i.title])).toEqual([
      ["ld+json[0].itemListElement[0]", "iPhone 13 128GB"],
      ["ld+json[0].itemListElement[1]", "iPhone 12"],
    ]);
  });

  it("reads AggregateOffer prices, priceSpecification, areaServed and the page's organisation address", () => {
    const aggregate = { ...phone, offers: { "@type": "AggregateOffer", lowPrice: 2900, priceCurrency: "EUR", areaServed: "Oradea, Bihor" } };
    expect(readPage(html(ld(aggregate)), 10).items[0]).toMatchObject({ price: { amount: 2900, currency: "EUR" }, location: { text: "Oradea, Bihor" } });
    const specified = { ...phone, offers: [{ "@type": "Offer", priceSpecification: { "@type": "UnitPriceSpecification", price: 15, priceCurrency: "EUR" } }] };
    const store = { "@type": "Store", name: "Magazin", address: { "@type": "PostalAddress", addressLocality: "Sibiu", addressRegion: "SB" } };
    expect(readPage(html(ld(specified) + ld(store)), 10).items[0]).toMatchObject({ price: { amount: 15, currency: "EUR" }, location: { city: "Sibiu", county: "SB" } });
  });

  it("reads a JSON-LD document served as JSON, and schema.org types given as URLs or lists", () => {
    expect(readPage(json(phone, "application/ld+json"), 10).items).toEqual([{ ...expected, ref: "ld+json" }]);
    expect(readPage(html(ld({ ...phone, "@type": ["https://schema.org/Product", "Thing"] })), 10).items).toHaveLength(1);
  });

  it("does not descend without end into nested arrays", () => {
    const deep = `<script type="application/ld+json">${"[".repeat(100_000)}${JSON.stringify(phone)}${"]".repeat(100_000)}</script>`;
    expect(readPage(html(deep), 10).problems).toEqual([expect.objectContaining({ reason: "NO_ITEMS" })]);
    expect(readPage(html(ld([[[phone]]])), 10).items).toHaveLength(1);
  });

  it("reports invalid blocks and pages without products", () => {
    const { items, problems } = readPage(html(`<script type="application/ld+json">{ "broken": </script>${ld(phone)}`), 10);
    expect(items).toHaveLength(1);
    expect(problems).toEqual([expect.objectContaining({ reason: "INVALID_JSON", message: "JSON-LD block 0 is not valid JSON" })]);
    expect(readPage(html(ld({ "@type": "Organization", name: "x" })), 10).problems).toEqual([expect.objectContaining({ reason: "NO_ITEMS" })]);
    expect(readPage(html("<title>nimic</title>"), 10).problems).toEqual([expect.objectContaining({ reason: "NO_ITEMS", message: "the page has no JSON-LD (schema.org Product) to read" })]);
  });
});
