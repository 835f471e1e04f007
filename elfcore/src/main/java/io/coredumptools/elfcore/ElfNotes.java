package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Splits a PT_NOTE segment or SHT_NOTE section into notes, checking every length against the bytes present. */
public final class ElfNotes {
    private ElfNotes() {}

    /**
     * Parses the notes in {@code bytes}. A note whose header or payload runs past the end stops the parse:
     * the notes before it are returned and {@code problems} gets one line saying where.
     */
    public static List<ElfNote> parse(ByteBuffer bytes, List<String> problems) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<ElfNote> notes = new ArrayList<>();
        while (in.remaining() >= 12) {
            int start = in.position();
            long nameSize = Integer.toUnsignedLong(in.getInt());
            long descSize = Integer.toUnsignedLong(in.getInt());
            int type = in.getInt();
            long paddedName = align4(nameSize);
            long paddedDesc = align4(descSize);
            if (paddedName + descSize > in.remaining()) {
                problems.add("note at offset " + start + " (type 0x" + Integer.toHexString(type) + ") claims "
                        + (nameSize + descSize) + " bytes but only " + in.remaining() + " remain");
                break;
            }
            byte[] name = new byte[(int) nameSize];
            in.get(name);
            in.position((int) (in.position() + paddedName - nameSize));
            byte[] desc = new byte[(int) descSize];
            in.get(desc);
            in.position((int) Math.min(in.limit(), in.position() + paddedDesc - descSize));
            notes.add(new ElfNote(StringTable.at(ByteBuffer.wrap(name), 0), type, desc));
        }
        return notes;
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }
}
