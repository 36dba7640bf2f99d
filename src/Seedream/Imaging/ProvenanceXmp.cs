using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Seedream.Imaging
{
    /// <summary>
    /// A <see cref="ProvenanceRecord"/> as an XMP packet: one rdf:Description whose properties live in the module's
    /// namespace (seedream:Prompt, seedream:Model, ...; seedream:References is an rdf:Seq of structures), plus the
    /// standard xmp:CreatorTool and xmp:CreateDate. The same packet goes into PNG (iTXt "XML:com.adobe.xmp") and
    /// JPEG (APP1 "http://ns.adobe.com/xap/1.0/"), where ExifTool, Adobe tools and other XMP readers find it.
    /// </summary>
    public static class ProvenanceXmp
    {
        private const string XNamespace = "adobe:ns:meta/";
        private const string RdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        private const string XmpNamespace = "http://ns.adobe.com/xap/1.0/";

        /// <summary>The XMP packet of the record, UTF-8 without a byte order mark.</summary>
        public static byte[] Write(ProvenanceRecord record)
        {
            var settings = new XmlWriterSettings
            {
                OmitXmlDeclaration = true,
                Encoding = new UTF8Encoding(false),
                Indent = true,
                IndentChars = " ",
                NewLineChars = "\n",
            };
            using var buffer = new MemoryStream();
            using (XmlWriter xml = XmlWriter.Create(buffer, settings))
            {
                xml.WriteProcessingInstruction("xpacket", "begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"");
                xml.WriteStartElement("x", "xmpmeta", XNamespace);
                xml.WriteAttributeString("x", "xmptk", XNamespace, $"Seedream PowerShell {record.ModuleVersion}");
                xml.WriteStartElement("rdf", "RDF", RdfNamespace);
                xml.WriteStartElement("rdf", "Description", RdfNamespace);
                xml.WriteAttributeString("rdf", "about", RdfNamespace, "");
                xml.WriteAttributeString("xmlns", "xmp", null, XmpNamespace);
                xml.WriteAttributeString("xmlns", ProvenanceRecord.Prefix, null, ProvenanceRecord.Namespace);

                xml.WriteElementString("xmp", "CreatorTool", XmpNamespace, $"Seedream PowerShell module {record.ModuleVersion} ({record.Request.Model})");
                xml.WriteElementString("xmp", "CreateDate", XmpNamespace, ProvenanceRecord.Fields.First(f => f.Name == "Created").Format(record));
                foreach (ProvenanceField field in ProvenanceRecord.Fields)
                {
                    if (field.Format(record) is string value)
                    {
                        xml.WriteElementString(ProvenanceRecord.Prefix, field.Name, ProvenanceRecord.Namespace, XmlSafe(value));
                    }
                }

                if (record.Request.References.Length > 0)
                {
                    WriteReferences(xml, record);
                }

                xml.WriteEndElement(); // rdf:Description
                xml.WriteEndElement(); // rdf:RDF
                xml.WriteEndElement(); // x:xmpmeta
                xml.WriteProcessingInstruction("xpacket", "end=\"w\"");
            }

            return buffer.ToArray();
        }

        /// <summary>seedream:References: an rdf:Seq (ordered: "image 1, image 2, ...") of structures. Left out when there are none.</summary>
        private static void WriteReferences(XmlWriter xml, ProvenanceRecord record)
        {
            xml.WriteStartElement(ProvenanceRecord.Prefix, "References", ProvenanceRecord.Namespace);
            xml.WriteStartElement("rdf", "Seq", RdfNamespace);
            foreach (SeedreamReference reference in record.Request.References)
            {
                xml.WriteStartElement("rdf", "li", RdfNamespace);
                xml.WriteAttributeString("rdf", "parseType", RdfNamespace, "Resource");
                foreach (ReferenceField field in ProvenanceRecord.ReferenceFields)
                {
                    if (field.Get(reference) is string value)
                    {
                        xml.WriteElementString(ProvenanceRecord.Prefix, field.Name, ProvenanceRecord.Namespace, XmlSafe(value));
                    }
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        /// <summary>
        /// The record in an XMP packet, or null when the packet holds no property of the module's namespace (another
        /// tool's XMP) or is not well-formed XML. DTDs and external entities are refused.
        /// </summary>
        public static ProvenanceRecord? TryRead(byte[] packet, int offset, int count)
        {
            XDocument document;
            try
            {
                var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };
                using var stream = new MemoryStream(packet, offset, count, writable: false);
                using XmlReader reader = XmlReader.Create(stream, settings);
                document = XDocument.Load(reader);
            }
            catch (XmlException)
            {
                return null;
            }

            XNamespace ns = ProvenanceRecord.Namespace;
            XNamespace rdf = RdfNamespace;
            XElement? description = document.Descendants(rdf + "Description")
                .FirstOrDefault(d => d.Attributes().Any(a => a.Name.Namespace == ns) || d.Elements().Any(e => e.Name.Namespace == ns));
            if (description is null)
            {
                return null;
            }

            var record = new ProvenanceRecord { RecordVersion = 0 };
            foreach (ProvenanceField field in ProvenanceRecord.Fields)
            {
                if (Property(description, ns + field.Name) is string value)
                {
                    field.Parse(record, value);
                }
            }

            XElement? sequence = description.Element(ns + "References")?.Elements().FirstOrDefault(e => e.Name == rdf + "Seq");
            record.Request.References = (sequence?.Elements(rdf + "li") ?? Enumerable.Empty<XElement>())
                .Select(item =>
                {
                    // A structure is written as rdf:parseType="Resource" (children of li), or as a nested rdf:Description.
                    XElement holder = item.Element(rdf + "Description") ?? item;
                    var reference = new SeedreamReference();
                    foreach (ReferenceField field in ProvenanceRecord.ReferenceFields)
                    {
                        field.Set(reference, Property(holder, ns + field.Name));
                    }

                    return reference;
                })
                .ToArray();
            return record;
        }

        /// <summary>A simple property, in either XMP form: an attribute of the description or a child element.</summary>
        private static string? Property(XElement holder, XName name) =>
            holder.Attribute(name)?.Value ?? holder.Element(name)?.Value;

        /// <summary>XML 1.0 cannot hold most control characters (nor a lone surrogate): each becomes U+FFFD, the only change ever made to a value.</summary>
        private static string XmlSafe(string value)
        {
            var safe = new StringBuilder(value.Length);
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    safe.Append(c).Append(value[++i]);
                }
                else
                {
                    safe.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
                }
            }

            return safe.ToString();
        }
    }
}
