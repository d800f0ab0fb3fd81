import { describe, expect, it } from "vitest";
import { id3v2Length, sniffMedia, sniffMpegAudio } from "../../src/media/sniff";
import { exe, id3v2Tag, mp3, wav } from "./fixtures";
import { FLAC, JPEG, MP3_BARE, MP3_WITH_ID3, PNG, WAV, WEBP } from "./real-media";

const text = (s: string) => new TextEncoder().encode(s);

describe("sniffMedia", () => {
  it("recognises real files written by ffmpeg and sox", () => {
    expect(sniffMedia(WAV)).toEqual({ mime: "audio/wav", kind: "audio", extension: "wav" });
    expect(sniffMedia(FLAC)).toEqual({ mime: "audio/flac", kind: "audio", extension: "flac" });
    expect(sniffMedia(MP3_WITH_ID3)).toEqual({ mime: "audio/mpeg", kind: "audio", extension: "mp3" });
    expect(sniffMedia(MP3_BARE)).toEqual({ mime: "audio/mpeg", kind: "audio", extension: "mp3" });
    expect(sniffMedia(JPEG)).toEqual({ mime: "image/jpeg", kind: "image", extension: "jpg" });
    expect(sniffMedia(PNG)).toEqual({ mime: "image/png", kind: "image", extension: "png" });
    expect(sniffMedia(WEBP)).toEqual({ mime: "image/webp", kind: "image", extension: "webp" });
  });

  it("recognises the tests' synthesised WAV and MP3 (with and without an ID3v2 tag)", () => {
    expect(sniffMedia(wav(1000))?.mime).toBe("audio/wav");
    expect(sniffMedia(mp3(3))?.mime).toBe("audio/mpeg");
    expect(sniffMedia(mp3(3, { tagBytes: 300 }))?.mime).toBe("audio/mpeg");
  });

  it("refuses an executable, text, an AVI, and nothing at all", () => {
    expect(sniffMedia(exe(4096))).toBeNull();
    expect(sniffMedia(text("#!/bin/sh\necho hello\n"))).toBeNull();
    expect(sniffMedia(new Uint8Array([...text("RIFF"), 0, 0, 0, 0, ...text("AVI LIST")]))).toBeNull();
    expect(sniffMedia(new Uint8Array(0))).toBeNull();
    expect(sniffMedia(text("fLaC"))).toBeNull(); // no STREAMINFO
    expect(sniffMedia(new Uint8Array([0x89, ...text("PNG"), 0x0d, 0x0a, 0x1a, 0x0a]))).toBeNull(); // no IHDR
    expect(sniffMedia(new Uint8Array([...text("RIFF"), 0, 0, 0, 0, ...text("WEBPJUNK")]))).toBeNull();
  });

  it("wants two consecutive MPEG frames: one header-looking word, or a second frame elsewhere, is not an MP3", () => {
    const frames = mp3(2);
    expect(sniffMedia(frames)).not.toBeNull();
    expect(sniffMedia(frames.subarray(0, 417 + 2))).toBeNull(); // the second header cut short
    const moved = new Uint8Array(frames.length + 1);
    moved.set(frames.subarray(0, 417));
    moved.set(frames.subarray(417), 418);
    expect(sniffMedia(moved)).toBeNull();
    const garbage = new Uint8Array(2000).fill(0x55);
    garbage.set([0xff, 0xfb, 0x90, 0x00]);
    expect(sniffMedia(garbage)).toBeNull();
  });

  it("refuses reserved and unsupported frame headers (MPEG version 'reserved', Layer II, free format, bad bitrate, bad sample rate)", () => {
    const withHeader = (b1: number, b2: number) => {
      const frames = mp3(2);
      for (const at of [0, 417]) frames.set([0xff, b1, b2, 0x00], at);
      return frames;
    };
    expect(sniffMedia(withHeader(0xfb, 0x90))).not.toBeNull(); // the baseline: MPEG-1 Layer III 128k 44.1k
    expect(sniffMedia(withHeader(0xeb, 0x90))).toBeNull(); // version bits 01: reserved
    expect(sniffMedia(withHeader(0xfd, 0x90))).toBeNull(); // Layer II
    expect(sniffMedia(withHeader(0xfb, 0x00))).toBeNull(); // free format
    expect(sniffMedia(withHeader(0xfb, 0xf0))).toBeNull(); // bitrate index 15
    expect(sniffMedia(withHeader(0xfb, 0x9c))).toBeNull(); // sample rate index 3
  });

  it("reads the ID3v2 tag's synchsafe size (and its footer) to find the first frame", () => {
    expect(id3v2Length(id3v2Tag(300))).toBe(300);
    expect(id3v2Length(MP3_WITH_ID3)).toBe(10 + 0x23);
    const footer = id3v2Tag(100);
    footer[5] = 0x10;
    expect(id3v2Length(footer)).toBe(110);
    const bogus = id3v2Tag(100);
    bogus[6] = 0x80; // not synchsafe
    expect(id3v2Length(bogus)).toBe(0);
    expect(id3v2Length(wav(100))).toBe(0);
  });

  it("cannot tell from the head alone when the tag outgrows it; the bytes after the tag can", () => {
    const file = mp3(3, { tagBytes: 100 * 1024 });
    const head = file.subarray(0, 64 * 1024);
    expect(sniffMedia(head)).toBeNull();
    const tag = id3v2Length(head);
    expect(tag).toBe(100 * 1024);
    expect(sniffMpegAudio(file.subarray(tag, tag + 8192))?.mime).toBe("audio/mpeg");
    // what follows a tag must be MPEG audio: a PNG behind an ID3 tag is not an MP3
    expect(sniffMedia(new Uint8Array([...id3v2Tag(50), ...PNG]))).toBeNull();
  });
});
