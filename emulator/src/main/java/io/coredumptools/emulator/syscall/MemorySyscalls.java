package io.coredumptools.emulator.syscall;

import io.coredumptools.elfcore.abi.Errno;
import io.coredumptools.elfcore.abi.Mman;
import io.coredumptools.emulator.memory.ImageRegion;
import io.coredumptools.emulator.memory.MemoryImage;
import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * brk, mmap, munmap, mremap, mprotect and madvise as Linux answers them, over the memory image: what a call
 * maps is created memory ({@link MemoryImage#mapAnonymous}), readable and writable afterwards by the debugger
 * and by calls that continue, until the next restore. Permissions follow the call's mprotect. Address space is
 * bounded by {@code MemoryLimits.callMemoryBytes}: a request past it fails with ENOMEM, as an exhausted address
 * space or overcommit limit makes Linux answer (a 1 TiB malloc returns NULL).
 */
final class MemorySyscalls {
    /** The highest user address + 1 on x86-64 with 4-level paging. */
    private static final long USER_SPACE_END = 0x7fff_ffff_f000L;

    private final MemoryImage image;
    private final LongSupplier initialBreak;
    private long programBreak;

    /** @param initialBreak the crashed process's program break, read when first needed; 0 when unknown */
    MemorySyscalls(MemoryImage image, LongSupplier initialBreak) {
        this.image = image;
        this.initialBreak = initialBreak;
    }

    /** Memory went back to the base: the break is the crash-time one again. */
    void onRestore() {
        programBreak = 0;
    }

    private boolean fitsTheLimit(long bytes) {
        long limit = image.limits().callMemoryBytes();
        return bytes >= 0 && bytes <= limit - image.createdBytes();
    }

    /** brk(2): returns the new break, or the unchanged one when it cannot move (glibc's sbrk then says ENOMEM). */
    long brk(long requested) {
        if (programBreak == 0) {
            programBreak = initialBreak.getAsLong();
            if (programBreak == 0) {
                return -Errno.ENOMEM;
            }
        }
        if (requested == 0 || requested == programBreak) {
            return programBreak;
        }
        long oldTop = PageSize.alignUp(programBreak);
        long newTop = PageSize.alignUp(requested);
        if (Long.compareUnsigned(requested, programBreak) > 0) {
            if (Long.compareUnsigned(requested, USER_SPACE_END) > 0 || !fitsTheLimit(newTop - oldTop)) {
                return programBreak;
            }
            // The heap grows into free pages only: pages that exist already (the core's heap) are kept.
            for (long page = oldTop; Long.compareUnsigned(page, newTop) < 0; page += PageSize.BYTES) {
                Optional<ImageRegion> region = image.regionAt(page);
                if (region.isEmpty() && !image.isFree(page, PageSize.BYTES)) {
                    return programBreak; // a mapping (or memory the core lacks) is in the way
                }
            }
            for (long page = oldTop; Long.compareUnsigned(page, newTop) < 0; ) {
                if (image.regionAt(page).isPresent()) {
                    page = image.regionAt(page).get().end();
                    continue;
                }
                long end = page;
                while (Long.compareUnsigned(end, newTop) < 0
                        && image.regionAt(end).isEmpty()) {
                    end += PageSize.BYTES;
                }
                image.mapAnonymous(page, end - page, MemoryProtection.READ | MemoryProtection.WRITE);
                page = end;
            }
        } else if (Long.compareUnsigned(newTop, oldTop) < 0) {
            image.unmapCreated(newTop, oldTop - newTop);
        }
        programBreak = requested;
        return programBreak;
    }

    /** mmap(2) of anonymous memory; null when the call must stop (a file mapping). */
    Long mmap(long address, long length, int prot, int flags) {
        if (length <= 0) {
            return -(long) Errno.EINVAL;
        }
        long size = PageSize.alignUp(length);
        if (size <= 0 || Long.compareUnsigned(size, USER_SPACE_END) > 0 || !fitsTheLimit(size)) {
            return -(long) Errno.ENOMEM;
        }
        int perms = MemoryProtection.fromLinuxProt(prot);
        boolean fixed = (flags & (Mman.MAP_FIXED | Mman.MAP_FIXED_NOREPLACE)) != 0;
        if (fixed && !PageSize.isAligned(address)) {
            return -(long) Errno.EINVAL;
        }
        long where;
        if (fixed) {
            if (Long.compareUnsigned(address, USER_SPACE_END) >= 0 || USER_SPACE_END - address < size) {
                return -(long) Errno.ENOMEM;
            }
            if (!image.isFree(address, size)) {
                if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0) {
                    return -(long) Errno.EEXIST;
                }
                replaceFixed(address, size, perms);
                if (!image.isFree(address, size)) {
                    // Memory of the base stayed (zeroed, with the new permissions); map the holes around it.
                    mapHoles(address, size, perms);
                    return address;
                }
            }
            where = address;
        } else if (address != 0
                && PageSize.isAligned(address)
                && Long.compareUnsigned(address, USER_SPACE_END) < 0
                && USER_SPACE_END - address >= size
                && image.isFree(address, size)) {
            where = address; // the hint is free: Linux takes it
        } else {
            try {
                where = image.findFreeRange(size);
            } catch (IllegalStateException full) {
                return -(long) Errno.ENOMEM;
            }
        }
        image.mapAnonymous(where, size, perms);
        return where;
    }

    /**
     * MAP_FIXED over mapped memory: created memory there is unmapped; the base's memory cannot be unmapped (a
     * restore needs it), so it becomes what the new mapping would be: zeros with the new permissions.
     */
    private void replaceFixed(long address, long size, int perms) {
        image.unmapCreated(address, size);
        for (long page = address; Long.compareUnsigned(page, address + size) < 0; page += PageSize.BYTES) {
            if (image.regionAt(page).isPresent()) {
                image.zero(page, PageSize.BYTES);
                image.protect(page, PageSize.BYTES, perms);
            }
        }
    }

    private void mapHoles(long address, long size, int perms) {
        long end = address + size;
        for (long page = address; Long.compareUnsigned(page, end) < 0; ) {
            if (image.regionAt(page).isPresent()) {
                page = image.regionAt(page).get().end();
                continue;
            }
            long holeEnd = page;
            while (Long.compareUnsigned(holeEnd, end) < 0
                    && image.regionAt(holeEnd).isEmpty()) {
                holeEnd += PageSize.BYTES;
            }
            image.mapAnonymous(page, holeEnd - page, perms);
            page = holeEnd;
        }
    }

    /** munmap(2): created memory goes; the base's stays mapped (a call must not lose what restores bring back). */
    long munmap(long address, long length) {
        if (!PageSize.isAligned(address) || length <= 0) {
            return -Errno.EINVAL;
        }
        image.unmapCreated(address, PageSize.alignUp(length));
        return 0;
    }

    /** mremap(2): shrinks in place, grows in place when the pages after are free, else moves (with MREMAP_MAYMOVE). */
    long mremap(long address, long oldLength, long newLength, int flags, long newAddress) {
        if (!PageSize.isAligned(address) || newLength <= 0 || (flags & ~7) != 0) {
            return -Errno.EINVAL;
        }
        long oldSize = PageSize.alignUp(oldLength);
        long newSize = PageSize.alignUp(newLength);
        if (newSize <= 0 || !image.isMapped(address, Math.max(oldSize, PageSize.BYTES))) {
            return -Errno.EFAULT;
        }
        int perms = image.permissionsAt(address).orElse(MemoryProtection.READ | MemoryProtection.WRITE);
        boolean fixed = (flags & Mman.MREMAP_FIXED) != 0;
        if (!fixed && newSize <= oldSize) {
            image.unmapCreated(address + newSize, oldSize - newSize);
            return address;
        }
        if (!fitsTheLimit(newSize - (fixed ? 0 : oldSize))) {
            return -Errno.ENOMEM;
        }
        if (!fixed && image.isFree(address + oldSize, newSize - oldSize)) {
            image.mapAnonymous(address + oldSize, newSize - oldSize, perms);
            return address;
        }
        if ((flags & Mman.MREMAP_MAYMOVE) == 0) {
            return -Errno.ENOMEM;
        }
        long target;
        if (fixed) {
            if (!PageSize.isAligned(newAddress)) {
                return -Errno.EINVAL;
            }
            image.unmapCreated(newAddress, newSize);
            if (!image.isFree(newAddress, newSize)) {
                return -Errno.ENOMEM;
            }
            target = newAddress;
        } else {
            try {
                target = image.findFreeRange(newSize);
            } catch (IllegalStateException full) {
                return -Errno.ENOMEM;
            }
        }
        image.mapAnonymous(target, newSize, perms);
        image.copy(address, target, Math.min(oldSize, newSize));
        if ((flags & Mman.MREMAP_DONTUNMAP) == 0) {
            image.unmapCreated(address, oldSize);
        }
        return target;
    }

    /** mprotect(2): every page of the range must be mapped (else ENOMEM, as Linux says). */
    long mprotect(long address, long length, int prot) {
        if (!PageSize.isAligned(address)) {
            return -Errno.EINVAL;
        }
        if (length == 0) {
            return 0;
        }
        long size = PageSize.alignUp(length);
        if (size <= 0 || !image.isMapped(address, size)) {
            return -Errno.ENOMEM;
        }
        image.protect(address, size, MemoryProtection.fromLinuxProt(prot));
        return 0;
    }

    /** madvise(2): MADV_DONTNEED and MADV_FREE zero private anonymous pages; other advice changes nothing seen. */
    long madvise(long address, long length, int advice) {
        if (!PageSize.isAligned(address) || length < 0) {
            return -Errno.EINVAL;
        }
        long size = PageSize.alignUp(length);
        if (size == 0) {
            return 0;
        }
        if (!image.isMapped(address, size)) {
            return -Errno.ENOMEM;
        }
        if (advice == Mman.MADV_DONTNEED) {
            image.zero(address, size);
        }
        // MADV_FREE may keep the contents until memory is short; keeping them is what a host with room does.
        return 0;
    }
}
