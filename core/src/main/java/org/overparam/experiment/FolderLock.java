package org.overparam.experiment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.overparam.InputError;

/**
 * An exclusive OS lock on a small file next to an output folder, held while a run writes that folder. The file is
 * removed on release. Because the previous holder may remove it between our open and our lock, the holder writes a
 * unique token into the locked file and reads it back by path: if the path now names another file, it retries.
 */
final class FolderLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    static FolderLock acquire(Path file, Path shownTarget) {
        for (int attempt = 0; attempt < 5; attempt++) {
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null; // this JVM already holds it (another run in the same process)
                }
                if (l == null) {
                    ch.close();
                    throw new InputError("another overparam run is writing " + shownTarget + " (it holds " + file
                            + "); wait for it to finish or choose another --out");
                }
                String token = ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + attempt;
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                ch.force(false);
                String onDisk;
                try {
                    onDisk = Files.readString(file).strip();
                } catch (NoSuchFileException e) {
                    onDisk = "";
                }
                if (onDisk.equals(token)) {
                    return new FolderLock(file, ch, l);
                }
                l.release(); // the file we locked was removed by the previous holder: lock the new one
                ch.close();
            } catch (IOException e) {
                closeQuietly(ch);
                throw new InputError("cannot lock " + file + " (" + e.getMessage() + "); choose a writable --out");
            }
        }
        throw new InputError("cannot lock " + file + ": it keeps being replaced; is another overparam run starting "
                + "into " + shownTarget + "?");
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file); // while still locked, so no one else holds a lock on this file
            lock.release();
        } catch (IOException e) {
            // best effort: an empty lock file is left, and the next run reuses it
        } finally {
            closeQuietly(channel);
        }
    }
}
