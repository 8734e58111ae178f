-- A link from one document of a run to the other (the report and its supplement) names the
-- other's HTML; in the PDF it names the other's PDF, which lies beside it.
function Link(link)
  if quarto.doc.is_format("typst") then
    link.target = link.target:gsub("^(index)%.html", "%1.pdf"):gsub("^(supplement)%.html", "%1.pdf")
  end
  return link
end
