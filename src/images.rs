//! Files copied into editions: images are decoded and re-encoded so that no
//! metadata (EXIF, GPS, XMP, comments, thumbnails) survives; other
//! attachments are copied as they are. Each file is prepared once and shared
//! by every edition that references it.

use crate::diagnostic::Diagnostic;
use crate::render::is_image;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;
use std::path::Path;

/// Prepare one file (relative to `root`) for publication.
pub fn prepare(root: &Path, file: &Path) -> Result<Vec<u8>, Diagnostic> {
    let bytes = std::fs::read(root.join(file)).map_err(|e| {
        Diagnostic::error(file, 0, format!("cannot read: {e}"), "check the file exists and can be read")
    })?;
    if is_image(file) {
        reencode(&bytes).map_err(|e| {
            Diagnostic::error(
                file,
                0,
                format!("cannot read this image: {e}"),
                "re-save it as PNG or JPEG; images are re-encoded to strip metadata, so they must decode",
            )
        })
    } else {
        Ok(bytes)
    }
}

/// Decode and encode again in the same format, with only pixel data.
/// EXIF orientation is applied first, so the picture still faces the right way.
pub fn reencode(bytes: &[u8]) -> Result<Vec<u8>, image::ImageError> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let format = reader.format().unwrap_or(ImageFormat::Png);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let out_format = match format {
        ImageFormat::Jpeg => ImageFormat::Jpeg,
        ImageFormat::Gif => ImageFormat::Gif,
        ImageFormat::WebP => ImageFormat::WebP,
        _ => ImageFormat::Png,
    };
    // JPEG has no alpha channel.
    if out_format == ImageFormat::Jpeg {
        img = DynamicImage::ImageRgb8(img.to_rgb8());
    }
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, out_format)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG with a tEXt chunk and an eXIf chunk carrying a token.
    pub fn png_with_metadata(token: &str) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        image::RgbImage::from_pixel(4, 3, image::Rgb([200, 10, 10])).write_to(&mut buf, ImageFormat::Png).unwrap();
        let png = buf.into_inner();
        // insert chunks after IHDR (8 signature + 25 IHDR)
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            let crc = crc32(&c[4..]);
            c.extend_from_slice(&crc.to_be_bytes());
            c
        };
        let mut out = png[..33].to_vec();
        out.extend(chunk(b"tEXt", format!("Comment\0{token}").as_bytes()));
        out.extend(chunk(b"eXIf", format!("MM\0*GPS {token}").as_bytes()));
        out.extend_from_slice(&png[33..]);
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in data {
            crc ^= *b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn strips_png_metadata() {
        let src = png_with_metadata("GPSTOKEN123");
        assert!(src.windows(11).any(|w| w == b"GPSTOKEN123"));
        assert!(image::load_from_memory(&src).is_ok(), "fixture must decode");
        let out = reencode(&src).unwrap();
        assert!(!out.windows(11).any(|w| w == b"GPSTOKEN123"));
        assert_eq!(image::load_from_memory(&out).unwrap().width(), 4);
    }

    #[test]
    fn refuses_what_is_not_an_image() {
        assert!(reencode(b"not an image at all").is_err());
    }
}
