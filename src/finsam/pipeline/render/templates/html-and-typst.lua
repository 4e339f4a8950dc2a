-- A page in one pass of pandoc: the HTML body (with the command line's options) and the
-- standalone Typst source of its PDF, as one JSON object {html, typst}.
--
-- For Typst, raw HTML is treated as Quarto treats it (filters/normalize/parsehtml.lua): the
-- table of a raw HTML block is read as HTML and becomes a Typst table; any other raw HTML (the
-- web page's navigation, download links) has no place in a PDF and is left out.
local function html_table(text)
  local first = text:find('<table', 1, true)
  if not first then
    return nil
  end
  local last = nil
  local from = first
  while true do
    local _, stop = text:find('</table>', from, true)
    if not stop then
      break
    end
    last, from = stop, stop + 1
  end
  return last and text:sub(first, last) or nil
end

function Writer(doc, opts)
  local html = pandoc.write(doc, 'html5', opts)
  local typst_doc = doc:walk {
    RawBlock = function(block)
      if block.format == 'html' then
        local table = html_table(block.text)
        if table then
          return pandoc.read(table, 'html').blocks
        end
        return {}
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
