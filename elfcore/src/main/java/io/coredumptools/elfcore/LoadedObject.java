package io.coredumptools.elfcore;

/**
 * A shared object on the dynamic linker's list ({@code r_debug.r_map}), in load order.
 *
 * @param name         {@code l_name} as the linker recorded it ("" for the main program)
 * @param loadBias     {@code l_addr}: the difference between the object's addresses and its ELF vaddrs
 * @param dynamic      {@code l_ld}: the address of its dynamic section
 * @param linkMapAddress the address of the link_map entry itself
 */
public record LoadedObject(String name, long loadBias, long dynamic, long linkMapAddress) {}
