-- A page in one pass of pandoc: the HTML body (with the command line's options) and the
-- standalone Typst source of its PDF, as one JSON object {html, typst}. For Typst, the page's
-- raw HTML blocks (the tables) are read as HTML, so that they become Typst tables.
function Writer(doc, opts)
  local html = pandoc.write(doc, 'html5', opts)
  local typst_doc = doc:walk {
    RawBlock = function(block)
      if block.format == 'html' then
        return pandoc.read(block.text, 'html').blocks
      end
    end,
  }
  local typst_opts = pandoc.WriterOptions {
    template = pandoc.template.compile(pandoc.template.default('typst')),
    variables = opts.variables,
    wrap_text = opts.wrap_text,
  }
  return pandoc.json.encode { html = html, typst = pandoc.write(typst_doc, 'typst', typst_opts) }
end
