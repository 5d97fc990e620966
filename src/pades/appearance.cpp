#include "pades/appearance.hpp"

#include <podofo/podofo.h>
#include <qrencode.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "pades/pdf_text.hpp"

namespace yq::pades {

namespace {

using namespace PoDoFo;

// ISO/IEC 18004 QR code as filled squares, quiet zone of 2 modules included in `size`.
void draw_qr(PdfPainter& painter, const std::string& url, double x, double y, double size) {
    std::unique_ptr<QRcode, void (*)(QRcode*)> qr(QRcode_encodeString(url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                  QRcode_free);
    if (!qr) return;
    int n = qr->width;
    double module = size / (n + 4);
    painter.SetColor(0, 0, 0);
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col)
            if (qr->data[row * n + col] & 1)
                painter.Rectangle(x + (col + 2) * module, y + size - (row + 3) * module, module, module);
    painter.Fill();
}

}  // namespace

PdfObject* draw_appearance(PdfMemDocument& doc, const AppearanceText& text, double width, double height,
                           const FontFiles& fonts) {
    PdfFont* cjk = doc.CreateFontSubset("DroidSansFallbackFull", false, false, false,
                                        PdfEncodingFactory::GlobalIdentityEncodingInstance(), fonts.cjk.c_str());
    PdfFont* latin = doc.CreateFontSubset("DejaVuSans", false, false, false,
                                          PdfEncodingFactory::GlobalIdentityEncodingInstance(), fonts.latin.c_str());
    if (!cjk || !latin) throw Error("pades.font_missing", 500, "the appearance fonts are not installed");

    PdfXObject form(PdfRect(0, 0, width, height), &doc);
    PdfPainter painter;
    painter.SetPage(&form);
    // frame
    painter.SetStrokingColor(0.10, 0.23, 0.45);
    painter.SetStrokeWidth(1.0);
    painter.Rectangle(0.5, 0.5, width - 1, height - 1);
    painter.Stroke();

    double pad = std::min(6.0, height / 12);
    double qr_size = text.verify_url.empty() ? 0 : std::min(height - 2 * pad, width / 3);
    if (qr_size > 0) draw_qr(painter, text.verify_url, pad, (height - qr_size) / 2, qr_size);
    double image_width = 0;
    if (!text.image.empty()) {
        bool png = text.image.compare(0, 8, "\x89PNG\r\n\x1a\n", 8) == 0;
        bool jpeg = text.image.size() > 3 && text.image.compare(0, 3, "\xFF\xD8\xFF", 3) == 0;
        if (!png && !jpeg) throw_bad_input("pades.bad_image", "the signature image must be a PNG or JPEG");
        PdfImage image(&doc);
        const auto* data = reinterpret_cast<const unsigned char*>(text.image.data());
        try {
            if (png) image.LoadFromPngData(data, static_cast<pdf_long>(text.image.size()));
            else image.LoadFromJpegData(data, static_cast<pdf_long>(text.image.size()));
        } catch (const PdfError&) {
            throw_bad_input("pades.bad_image", "the signature image cannot be read");
        }
        // fit into a box at the right: at most a third of the width, the full inner height; keep the aspect ratio
        double box_w = (width - qr_size) / 3, box_h = height - 2 * pad;
        double scale = std::min(box_w / image.GetWidth(), box_h / image.GetHeight());
        image_width = image.GetWidth() * scale;
        painter.DrawImage(width - pad - image_width, (height - image.GetHeight() * scale) / 2, &image, scale, scale);
        image_width += pad;
    }

    std::vector<std::pair<std::string, double>> lines;  // text, relative size
    lines.push_back({text.signer_name, 1.25});
    std::string who = text.agency;
    if (!text.title.empty()) who += (who.empty() ? "" : " · ") + text.title;
    if (!who.empty()) lines.push_back({who, 1.0});
    lines.push_back({"簽署時間 Signed " + text.time_text, 1.0});
    if (!text.reason.empty()) lines.push_back({"理由 Reason: " + text.reason, 1.0});
    if (!text.location.empty()) lines.push_back({"地點 Location: " + text.location, 1.0});
    lines.push_back({"雲簽 yunqian · 電子簽署 Digitally signed", 0.8});

    TextWriter writer(painter, latin, cjk);
    double left = pad + qr_size + (qr_size > 0 ? pad : 0);
    double avail_w = width - left - pad - image_width;
    double weight = 0;
    for (const auto& l : lines) weight += l.second;
    double size = (height - 2 * pad) / (weight * 1.25);  // line height = 1.25 × size
    for (const auto& l : lines) {
        double w = writer.width(l.first, size * l.second);
        if (w > avail_w && w > 0) size = std::min(size, size * avail_w / w);
    }
    size = std::max(size, 2.0);
    double y = height - pad;
    painter.SetColor(0.05, 0.05, 0.05);
    for (const auto& l : lines) {
        double s = size * l.second;
        y -= s * 1.25;
        writer.draw(left, y + s * 0.25, l.first, s);
    }
    painter.FinishPage();
    return form.GetObject();
}

}  // namespace yq::pades
