import { describe, expect, it } from "vitest";
import { addressFilter, classifyAddress, isAddressOrCidr } from "./address-policy.ts";

describe("classifyAddress", () => {
  it.each([
    ["93.184.216.34", "public"],
    ["8.8.8.8", "public"],
    ["2606:4700:4700::1111", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["fd12:3456::1", "private"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["100.100.100.200", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["fd00:ec2:0:0:0:0:0:254", "metadata"],
    ["::ffff:169.254.169.254", "metadata"],
    ["0.0.0.0", "special"],
    ["0.1.2.3", "special"],
    ["169.254.1.1", "special"],
    ["255.255.255.255", "special"],
    ["224.0.0.1", "special"],
    ["192.0.2.10", "special"],
    ["198.51.100.7", "special"],
    ["203.0.113.9", "special"],
    ["198.18.0.1", "special"],
    ["240.0.0.1", "special"],
    ["::", "special"],
    ["fe80::1", "special"],
    ["ff02::1", "special"],
    ["2001:db8::1", "special"],
    ["fec0::1", "special"],
    ["::7f00:1", "special"], // deprecated IPv4-compatible form of 127.0.0.1
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "special"], // teredo
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:93.184.216.34", "public"],
    ["64:ff9b::7f00:1", "loopback"], // NAT64 of 127.0.0.1
    ["64:ff9b::5db8:d822", "public"], // NAT64 of 93.184.216.34
    ["2002:7f00:1::1", "loopback"], // 6to4 of 127.0.0.1
    ["2002:a00:1::1", "private"], // 6to4 of 10.0.0.1
    ["2002:5db8:d822::1", "public"],
    ["localhost", "invalid"],
    ["2130706433", "invalid"], // not how Node connects: the URL parser normalises it first
    ["", "invalid"],
  ])("%s is %s", (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });
});

describe("addressFilter", () => {
  it("allows only public addresses by default", () => {
    const allowed = addressFilter();
    expect(allowed("93.184.216.34")).toBe(true);
    for (const ip of ["127.0.0.1", "::1", "0.0.0.0", "10.0.0.1", "169.254.169.254", "::ffff:127.0.0.1", "fd00:ec2::254", "nonsense"]) {
      expect(allowed(ip), ip).toBe(false);
    }
  });

  it("opens loopback or private ranges on request, never metadata", () => {
    const loopback = addressFilter({ allowLoopback: true });
    expect([loopback("127.0.0.1"), loopback("::1"), loopback("::ffff:127.0.0.1"), loopback("10.0.0.1")]).toEqual([true, true, true, false]);
    const priv = addressFilter({ allowPrivate: true });
    expect([priv("10.0.0.1"), priv("fd12::1"), priv("127.0.0.1"), priv("169.254.169.254"), priv("fd00:ec2::254"), priv("169.254.1.1")]).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it("lets listed addresses and CIDRs through, except metadata", () => {
    const allowed = addressFilter({ allowedAddresses: ["127.0.0.2", "192.0.2.0/24", "169.254.169.254"] });
    expect(allowed("127.0.0.2")).toBe(true);
    expect(allowed("::ffff:127.0.0.2")).toBe(true);
    expect(allowed("127.0.0.1")).toBe(false);
    expect(allowed("192.0.2.200")).toBe(true);
    expect(allowed("169.254.169.254")).toBe(false);
  });
});

describe("isAddressOrCidr", () => {
  it("accepts canonical addresses and CIDRs, nothing a URL parser would have to normalise", () => {
    for (const entry of ["127.0.0.2", "10.0.0.0/8", "fd00::1", "fd00::/8", "::ffff:10.0.0.1"]) expect(isAddressOrCidr(entry), entry).toBe(true);
    for (const entry of ["", "localhost", "2130706433", "127.1", "10.0.0.0/33", "10.0.0.0/8/1", "fd00::/129", "10.0.0.0/"]) expect(isAddressOrCidr(entry), entry).toBe(false);
  });
});
