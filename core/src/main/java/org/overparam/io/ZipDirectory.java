package org.overparam.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.overparam.InputError;

/**
 * A zip archive's central directory (PKWARE APPNOTE 6.3.x, sections 4.3.12 and 4.3.16), read the way Python's
 * zipfile reads it: the end-of-central-directory record must end the file exactly (after its comment), so a file
 * with its last bytes cut off is refused; each entry's local header is located through the directory. Stored and
 * deflated entries; ZIP64 sizes and offsets from the entry's extra field. Multi-disk archives and encryption are
 * refused.
 */
final class ZipDirectory {
    private static final int EOCD = 0x06054b50;
    private static final int EOCD64_LOCATOR = 0x07064b50;
    private static final int EOCD64 = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    private ZipDirectory() {
    }

    /** One central-directory entry. */
    record Entry(String name, int method, int flags, long compressedSize, long size, long crc, long localOffset) {
    }

    static List<Entry> read(byte[] b, String name) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = -1;
        for (int p = b.length - 22; p >= 0 && p >= b.length - 22 - 65535; p--) {
            if (buf.getInt(p) == EOCD && p + 22 + (buf.getShort(p + 20) & 0xFFFF) == b.length) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) {
            throw corrupt(name, "no end-of-central-directory record at its end (not a zip, or truncated)");
        }
        int disk = buf.getShort(eocd + 4) & 0xFFFF;
        int cdDisk = buf.getShort(eocd + 6) & 0xFFFF;
        long count = buf.getShort(eocd + 10) & 0xFFFF;
        long cdSize = buf.getInt(eocd + 12) & 0xFFFFFFFFL;
        long cdOffset = buf.getInt(eocd + 16) & 0xFFFFFFFFL;
        if (disk != 0 || cdDisk != 0) {
            throw corrupt(name, "a multi-disk archive");
        }
        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            int loc = eocd - 20;
            if (loc < 0 || buf.getInt(loc) != EOCD64_LOCATOR) {
                throw corrupt(name, "ZIP64 markers without a ZIP64 end record");
            }
            long e64 = buf.getLong(loc + 8);
            if (e64 < 0 || e64 + 56 > loc || buf.getInt((int) e64) != EOCD64) {
                throw corrupt(name, "a bad ZIP64 end record");
            }
            count = buf.getLong((int) e64 + 32);
            cdSize = buf.getLong((int) e64 + 40);
            cdOffset = buf.getLong((int) e64 + 48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > eocd || count < 0 || count > cdSize / 46) {
            throw corrupt(name, "its central directory lies outside the file");
        }
        List<Entry> out = new ArrayList<>();
        int p = (int) cdOffset;
        for (long i = 0; i < count; i++) {
            if (p + 46 > cdOffset + cdSize || buf.getInt(p) != CENTRAL) {
                throw corrupt(name, "central directory entry " + i + " is malformed");
            }
            int flags = buf.getShort(p + 8) & 0xFFFF;
            int method = buf.getShort(p + 10) & 0xFFFF;
            long crc = buf.getInt(p + 16) & 0xFFFFFFFFL;
            long csize = buf.getInt(p + 20) & 0xFFFFFFFFL;
            long usize = buf.getInt(p + 24) & 0xFFFFFFFFL;
            int nlen = buf.getShort(p + 28) & 0xFFFF;
            int xlen = buf.getShort(p + 30) & 0xFFFF;
            int clen = buf.getShort(p + 32) & 0xFFFF;
            long local = buf.getInt(p + 42) & 0xFFFFFFFFL;
            int end = p + 46 + nlen + xlen + clen;
            if (end > cdOffset + cdSize) {
                throw corrupt(name, "central directory entry " + i + " runs past the directory");
            }
            String member = new String(b, p + 46, nlen, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            // ZIP64 extra field (id 1): the 0xFFFFFFFF fields, in order usize, csize, offset
            for (int x = p + 46 + nlen; x + 4 <= p + 46 + nlen + xlen;) {
                int id = buf.getShort(x) & 0xFFFF;
                int len = buf.getShort(x + 2) & 0xFFFF;
                if (x + 4 + len > p + 46 + nlen + xlen) {
                    throw corrupt(name, "a malformed extra field in entry '" + Npz.printable(member) + "'");
                }
                if (id == 1) {
                    int q = x + 4;
                    if (usize == 0xFFFFFFFFL && q + 8 <= x + 4 + len) {
                        usize = buf.getLong(q);
                        q += 8;
                    }
                    if (csize == 0xFFFFFFFFL && q + 8 <= x + 4 + len) {
                        csize = buf.getLong(q);
                        q += 8;
                    }
                    if (local == 0xFFFFFFFFL && q + 8 <= x + 4 + len) {
                        local = buf.getLong(q);
                    }
                }
                x += 4 + len;
            }
            checkMemberName(member, name);
            if ((flags & 1) != 0) {
                throw corrupt(name, "entry '" + Npz.printable(member) + "' is encrypted");
            }
            if (method != 0 && method != 8) {
                throw corrupt(name, "entry '" + Npz.printable(member) + "' uses compression method " + method
                        + " (numpy writes stored or deflated entries)");
            }
            if (csize < 0 || usize < 0 || local < 0 || local >= cdOffset) {
                throw corrupt(name, "entry '" + Npz.printable(member) + "' has impossible sizes or offset");
            }
            out.add(new Entry(member, method, flags, csize, usize, crc, local));
            p = end;
        }
        return out;
    }

    /**
     * Member names are plain relative names: no absolute path, drive letter, backslash, '..' segment or control
     * character (an npz member '../../x.weight.npy' was copied into an output model).
     */
    static void checkMemberName(String member, String name) {
        boolean bad = member.isEmpty() || member.startsWith("/") || member.contains("\\")
                || (member.length() > 1 && member.charAt(1) == ':');
        for (String seg : member.split("/", -1)) {
            bad |= seg.equals("..");
        }
        for (int i = 0; i < member.length(); i++) {
            bad |= Character.isISOControl(member.charAt(i));
        }
        if (bad) {
            throw new InputError(name + ": member name '" + Npz.printable(member) + "' is not a plain relative name "
                    + "(absolute, '..' or control characters); re-create the archive with numpy.savez");
        }
    }

    /** The entry's uncompressed bytes, after checking its local header against the directory and its CRC. */
    static byte[] contents(byte[] b, Entry e, String where) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int p = (int) e.localOffset();
        if (p + 30 > b.length || buf.getInt(p) != LOCAL) {
            throw corrupt(where, "no local header where the central directory points");
        }
        int nlen = buf.getShort(p + 26) & 0xFFFF;
        int xlen = buf.getShort(p + 28) & 0xFFFF;
        int method = buf.getShort(p + 8) & 0xFFFF;
        if (p + 30 + nlen > b.length) {
            throw corrupt(where, "its local header runs past the file");
        }
        byte[] nameBytes = new byte[nlen];
        System.arraycopy(b, p + 30, nameBytes, 0, nlen);
        String local = new String(nameBytes, (e.flags() & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (!local.equals(e.name()) || method != e.method()) {
            throw new InputError(where + ": the archive's local header names '" + Npz.printable(local)
                    + "' where its central directory names '" + Npz.printable(e.name()) + "'; the file is damaged or "
                    + "was tampered with — re-create it with numpy.savez");
        }
        long start = (long) p + 30 + nlen + xlen;
        if (start + e.compressedSize() > b.length || e.size() > Integer.MAX_VALUE - 8) {
            throw corrupt(where, "its data runs past the end of the file");
        }
        byte[] out = new byte[(int) e.size()];
        if (e.method() == 0) {
            if (e.compressedSize() != e.size()) {
                throw corrupt(where, "a stored entry whose sizes differ");
            }
            System.arraycopy(b, (int) start, out, 0, out.length);
        } else {
            Inflater inf = new Inflater(true);
            try {
                inf.setInput(b, (int) start, (int) e.compressedSize());
                int n = 0;
                while (n < out.length && !inf.finished()) {
                    int k = inf.inflate(out, n, out.length - n);
                    if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                        break;
                    }
                    n += k;
                }
                if (n != out.length) {
                    throw corrupt(where, "it inflates to " + n + " bytes, not the " + out.length + " declared");
                }
                if (!inf.finished()) {
                    byte[] one = new byte[1];
                    if (inf.inflate(one) > 0) {
                        throw corrupt(where, "it inflates past the " + out.length + " bytes declared");
                    }
                }
            } catch (DataFormatException ex) {
                throw corrupt(where, "its deflated data is corrupt (" + ex.getMessage() + ")");
            } finally {
                inf.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc()) {
            throw corrupt(where, "its CRC does not match (damaged data)");
        }
        return out;
    }

    private static InputError corrupt(String name, String why) {
        return new InputError(name + ": not a valid .npz (zip) archive: " + why + "; re-create it with numpy.savez");
    }
}
