package io.coredumptools.emulator.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.nativeio.PageSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Page ranges at the edges of the address space: no wrap, no endless loop (issue 11, `M fffffffffffff000,1`). */
@Timeout(10)
class PageSetTest {
    @Test
    void aRangeInTheTopPageIsThatOnePage() {
        PageSet pages = new PageSet();
        pages.addRange(0xffff_ffff_ffff_f000L, 1);
        assertThat(pages.size()).isEqualTo(1);
        assertThat(pages.contains(0xffff_ffff_ffff_ffffL)).isTrue();
    }

    @Test
    void aRangeThatWouldWrapStopsAtTheTop() {
        PageSet pages = new PageSet();
        pages.addRange(0xffff_ffff_ffff_efffL, 2);
        assertThat(pages.size()).isEqualTo(2);
        pages.clear();
        pages.addRange(-2L, 100);
        assertThat(pages.size()).isEqualTo(1);
        assertThat(pages.runs()).hasSize(1);
        assertThat(pages.runs().get(0)[0]).isEqualTo(0xffff_ffff_ffff_f000L);
    }

    @Test
    void ordinaryRangesCoverEveryPageTheyTouch() {
        PageSet pages = new PageSet();
        pages.addRange(0x1fff, 2);
        pages.addRange(0x10000, 0x3000);
        pages.addRange(0x20000, 0);
        assertThat(pages.size()).isEqualTo(5);
        assertThat(pages.runs()).hasSize(2);
    }

    @Test
    void pageArithmeticAtTheTop() {
        assertThat(PageSize.pagesSpanned(0xffff_ffff_ffff_f000L, 0x1000)).isEqualTo(1);
        assertThat(PageSize.pagesSpanned(0xffff_ffff_ffff_f000L, Long.MAX_VALUE))
                .isEqualTo(1);
        assertThat(PageSize.pagesSpanned(0, 0x1001)).isEqualTo(2);
        assertThat(PageSize.endOf(0xffff_ffff_ffff_f000L, 0x1000)).isZero();
        assertThat(PageSize.endOf(0x1000, 0x1000)).isEqualTo(0x2000);
        assertThat(PageSize.endOf(0, 0x1000)).isEqualTo(0x1000);
    }
}
